"""Removing stored files that no row will ever name.

Files of deleted rows are removed by django-cleanup's `post_delete` receiver once the deletion
commits; this is for files stored by a transaction that then rolled back.
"""

import logging
from collections.abc import Iterable

from django.core.files.storage import Storage

logger = logging.getLogger(__name__)


def delete_files(storage: Storage, names: Iterable[str]) -> None:
    """Delete these files now; a file that cannot be deleted is logged, never raised, so that
    one stray file does not undo the work around it."""
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete the stored file %s", name)
