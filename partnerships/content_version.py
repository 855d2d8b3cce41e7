"""The version of what the public pages show: one number, bumped whenever it changes.

The whole-page cache (irts_portal.page_cache) stores each page under the current version, so a
bump retires every stored page at once, without knowing which pages an edit touched. The apps that
hold public content (partnerships, and mobility's calls) bump it on every save and delete of their
models, and on changes to their many-to-many links, at once and again once the transaction
commits: bumped only before, a request could render the old rows and store them under the new
version.

A bulk `QuerySet.update()` sends no signal: code that uses one on public content calls
`bump_content_version()` itself.
"""

import logging
import time
import uuid
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

# In the cache of the pages it versions ("pages" in CACHES): the two are lost together.
VERSION_KEY = "content-version"

logger = logging.getLogger(__name__)


def pages_cache_failed(error: Exception, consequence: str) -> None:
    """Log that the pages' cache failed (a full disk, Redis down) and what the request does instead.

    One line and no traceback: while the cache is down, every request logs it.
    """
    logger.warning("Page cache unavailable (%s: %s): %s", type(error).__name__, error, consequence)


@dataclass(frozen=True)
class ContentVersion:
    key: str
    changed_at: float  # seconds since the epoch: the pages' Last-Modified


def content_version() -> ContentVersion:
    pages = caches["pages"]
    stored = pages.get(VERSION_KEY)
    if stored is None:
        # Lost (a cache cleared or restarted): a new version, since what changed is unknown.
        pages.add(VERSION_KEY, (uuid.uuid4().hex, time.time()), timeout=None)
        stored = pages.get(VERSION_KEY)
    return ContentVersion(*stored)


def bump_content_version() -> None:
    try:
        caches["pages"].set(VERSION_KEY, (uuid.uuid4().hex, time.time()), timeout=None)
    except Exception as error:
        # The edit itself is saved: refusing it would not bring the cache back. Pages stored
        # before may show the old content until they expire (irts_portal.page_cache, 5 minutes).
        logger.error(
            "Page cache unavailable (%s: %s): the content version is not bumped", type(error).__name__, error
        )


def _bump_after_commit(**kwargs) -> None:
    # Now, so that this transaction's own later reads never meet a page stored before the change,
    # and again once committed, for a page another request rendered meanwhile from the old rows.
    bump_content_version()
    transaction.on_commit(bump_content_version)


def bump_on_changes_to(app_label: str, models: list[type[Model]]) -> None:
    """Connect the bump to every save and delete of `models`, and to their many-to-many links."""
    for model in models:
        uid = f"content-version:{model._meta.label}"
        post_save.connect(_bump_after_commit, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(_bump_after_commit, sender=model, dispatch_uid=f"{uid}:delete", weak=False)

    def links_changed(sender, **kwargs) -> None:
        if sender._meta.app_label == app_label:
            _bump_after_commit()

    m2m_changed.connect(links_changed, dispatch_uid=f"content-version:{app_label}:links", weak=False)
