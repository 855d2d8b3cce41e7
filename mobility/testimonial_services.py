"""Every write of testimonials: the invitation, the author's writing, editing and withdrawal, and
staff moderation. The public views and the admin both call these functions.

Each save leaves a row in the testimonial's audit trail (who, when, which status), and bumps the
public pages' content version (mobility.apps), so that a publication, an edit (back to
moderation) or a withdrawal shows on every page at once.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mobility import emails
from mobility.models import Application, Testimonial, TestimonialStatus
from mobility.models.applications import hash_token
from partnerships.academic_years import academic_year_of
from partnerships.models import Institution
from uploads.checks import CheckedDocument
from uploads.removal import delete_files


@dataclass(frozen=True)
class TestimonialContent:
    """What the author gives: `photo` is a new picture checked by `validate_image`, None to keep
    the one stored; `remove_photo` drops the stored one."""

    text: str
    display_name: str
    photo: CheckedDocument | None = None
    photo_alt: str = ""
    remove_photo: bool = False
    institution: Institution | None = None


def testimonial_invite(application: Application) -> None:
    """Give `application` its link to write a testimonial and mail it, once; in the caller's
    transaction, so that the mail leaves only if the completion is committed."""
    if application.testimonial_token_hash:
        return
    application.testimonial_token_hash = hash_token(application.testimonial_token())
    application.save(update_fields=["testimonial_token_hash"])
    emails.send_testimonial_invitation(application.pk)


def testimonial_save(
    *, application: Application | None, testimonial: Testimonial | None, content: TestimonialContent
) -> Testimonial:
    """Write a new testimonial for `application`, or change `testimonial`; either way it waits
    for moderation again, with the author's consent dated now."""
    if testimonial is None:
        if application is None:
            raise ValueError("A new testimonial needs the application it tells about.")
        testimonial = Testimonial(
            application=application,
            token_hash=application.testimonial_token_hash or hash_token(application.testimonial_token()),
            academic_year=academic_year_of(application.wished_start),
            language=application.language,
        )
    testimonial.text = content.text
    testimonial.display_name = content.display_name
    if content.institution is not None:
        testimonial.institution = content.institution
    testimonial.status = TestimonialStatus.PENDING
    testimonial.moderated_at = None
    testimonial.moderated_by = None
    testimonial.consent_given_at = timezone.now()
    if content.photo is not None:
        content.photo.content.seek(0)
        testimonial.photo.save(f"photo{content.photo.extension}", content.photo.content, save=False)
    elif content.remove_photo:
        testimonial.photo = ""  # no photo: a FileField holds a name
    testimonial.photo_alt = content.photo_alt if testimonial.photo else ""
    testimonial._change_reason = "écrit par son auteur"  # type: ignore[attr-defined]
    creating = testimonial.pk is None
    try:
        # A replaced or dropped photo file is removed by django-cleanup once the save commits.
        with transaction.atomic():
            testimonial.save()
    except Exception as error:
        if content.photo is not None:  # stored above, and no row will name it
            delete_files(testimonial.photo.storage, [testimonial.photo.name])
        if creating and application is not None and isinstance(error, IntegrityError):
            # The same form sent twice at once: the other request created it; this one edits it.
            existing = Testimonial.objects.get(application=application)
            return testimonial_save(application=application, testimonial=existing, content=content)
        raise
    return testimonial


def testimonial_withdraw(*, testimonial: Testimonial, actor: User | None) -> None:
    """Delete `testimonial` and its photo, at its author's request (or by an administrator):
    gone from every page at once. The audit trail keeps who and when, never the content."""
    testimonial._change_reason = "retiré par son auteur" if actor is None else "supprimé"  # type: ignore[attr-defined]
    if actor is not None:
        testimonial._history_user = actor  # type: ignore[attr-defined]
    # The photo file goes with the row, from whichever storage it is on (django-cleanup,
    # once the deletion commits).
    testimonial.delete()


def testimonials_moderate(*, testimonials: QuerySet[Testimonial], status: str, actor: User) -> int:
    """Publish or refuse `testimonials`; returns how many changed. Each row is saved on its own,
    so that each leaves its audit-trail row (who, when, the new status)."""
    if status not in (TestimonialStatus.PUBLISHED, TestimonialStatus.REFUSED):
        raise ValueError(f"Moderation publishes or refuses, not {status!r}.")
    now: datetime.datetime = timezone.now()
    changed = 0
    ids = list(testimonials.values_list("pk", flat=True))
    with transaction.atomic():
        locked = Testimonial.objects.select_for_update().filter(pk__in=ids).exclude(status=status)
        for testimonial in locked:
            testimonial.status = status
            testimonial.moderated_at = now
            testimonial.moderated_by = actor
            testimonial._history_user = actor
            testimonial.save(update_fields=["status", "moderated_at", "moderated_by", "updated_at"])
            changed += 1
    return changed
