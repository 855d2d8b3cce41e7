"""Removing stored files once the database has let go of them for good."""

import logging
from collections.abc import Iterable

from django.core.files.storage import Storage
from django.db import transaction

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


def delete_files_on_commit(storage: Storage, names: Iterable[str], *, using: str | None = None) -> None:
    """Delete these files once the current transaction commits; nothing if it rolls back, so that
    a row restored by a rollback never points at a missing file."""
    pending = list(names)
    if pending:
        transaction.on_commit(lambda: delete_files(storage, pending), using=using)
