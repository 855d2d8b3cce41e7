"""Every write of the mobility workflow: submitting an application and changing its status.

The public views and the admin both call these functions, so no path skips the
rules (open call, allowed transitions) or the history and the e-mails.
"""

import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility import emails
from mobility.models import (
    Application,
    ApplicationChoice,
    ApplicationDocument,
    ApplicationLanguage,
    Call,
    CallDestination,
    StatusChange,
)
from mobility.models.applications import FINAL_STATUSES, TRANSITIONS, Status, hash_token

logger = logging.getLogger(__name__)


class CallClosed(ValidationError):
    pass


class TransitionRefused(ValidationError):
    pass


@dataclass(frozen=True)
class UploadedDocument:
    kind: str
    file: UploadedFile
    content_type: str


def application_submit(
    *,
    call: Call,
    submission_key: str,
    applicant: dict,
    choices: list[CallDestination],
    languages: list[tuple[str, str]],
    documents: list[UploadedDocument],
) -> tuple[Application, bool]:
    """Record an application to an open call; returns (application, created).

    A second submission of the same form (same `submission_key`) returns the first
    application instead of creating another. The confirmation e-mail leaves only
    once the transaction has committed.
    """
    existing = Application.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing, False
    if not call.is_open():
        raise CallClosed(
            _("Cet appel à candidatures n’est pas ouvert : la candidature n’a pas été enregistrée.")
        )
    stored: list[ApplicationDocument] = []
    try:
        with transaction.atomic():
            application = _create_application(call, submission_key, applicant, choices, languages)
            for document in documents:
                stored.append(_store_document(application, document))
            StatusChange.objects.create(
                application=application, from_status="", to_status=Status.SUBMITTED, by_applicant=True
            )
            transaction.on_commit(lambda: emails.send_submitted(application.pk))
    except IntegrityError:
        _discard_files(stored)
        # The same form posted twice at once: the other request's row won the unique key.
        existing = Application.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing, False
        raise
    except Exception:
        _discard_files(stored)
        raise
    return application, True


def _create_application(call, submission_key, applicant, choices, languages) -> Application:
    token_salt = secrets.token_hex(32)
    application = Application(
        call=call,
        submission_key=submission_key,
        token_salt=token_salt,
        # A unique placeholder until the id, and so the readable reference, is known.
        reference=f"TMP-{secrets.token_hex(8)}",
        consent_given_at=timezone.now(),
        **applicant,
    )
    application.token_hash = hash_token(application.follow_up_token())
    application.save()
    # The id is unique and increasing: MOB-<year>-<id> is readable and can never collide.
    application.reference = f"MOB-{timezone.localdate().year}-{application.pk:05d}"
    application.save(update_fields=["reference"])
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=application, rank=rank, destination=destination)
        for rank, destination in enumerate(choices, start=1)
    )
    ApplicationLanguage.objects.bulk_create(
        ApplicationLanguage(application=application, language=language, level=level)
        for language, level in languages
    )
    return application


def _store_document(application: Application, document: UploadedDocument) -> ApplicationDocument:
    record = ApplicationDocument(
        application=application,
        kind=document.kind,
        original_name=document.file.name[-255:],
        content_type=document.content_type,
        size=document.file.size,
    )
    document.file.seek(0)
    record.file.save(document.file.name, document.file, save=False)
    record.save()
    return record


def _discard_files(documents: list[ApplicationDocument]) -> None:
    for document in documents:
        document.file.delete(save=False)


def application_transition(
    *,
    application: Application,
    to_status: str,
    actor=None,
    by_applicant: bool = False,
    comment: str = "",
    visible_to_applicant: bool = False,
) -> StatusChange:
    """Move an application along the workflow, with its history row and an e-mail to the applicant.

    Staff follow `TRANSITIONS`; the applicant may only withdraw, from any status that is not
    final. Anything else raises TransitionRefused with a message fit for the person.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _check_transition(locked.status, to_status, by_applicant)
        change = StatusChange.objects.create(
            application=locked,
            from_status=locked.status,
            to_status=to_status,
            changed_by=None if by_applicant else actor,
            by_applicant=by_applicant,
            comment=comment.strip(),
            visible_to_applicant=visible_to_applicant or by_applicant,
        )
        locked.status = to_status
        update_fields = ["status", "updated_at"]
        if to_status in FINAL_STATUSES:
            locked.decided_at = timezone.now()
            update_fields.append("decided_at")
        locked.save(update_fields=update_fields)
        transaction.on_commit(lambda: emails.send_status_changed(change.pk))
    application.refresh_from_db()
    return change


def _check_transition(current: str, to_status: str, by_applicant: bool) -> None:
    labels = dict(Status.choices)
    if to_status not in labels:
        raise TransitionRefused(_("Statut inconnu : %(status)s.") % {"status": to_status})
    if by_applicant:
        if to_status != Status.WITHDRAWN:
            raise TransitionRefused(_("Une personne candidate peut seulement retirer sa candidature."))
        if current in FINAL_STATUSES:
            raise TransitionRefused(
                _("Cette candidature est déjà « %(status)s » : elle ne peut plus être retirée.")
                % {"status": labels[current]}
            )
        return
    if to_status not in TRANSITIONS[current]:
        allowed = ", ".join(f"« {labels[s]} »" for s in Status if s in TRANSITIONS[current])
        raise TransitionRefused(
            _("Une candidature « %(current)s » ne peut pas passer à « %(target)s ». %(allowed)s")
            % {
                "current": labels[current],
                "target": labels[to_status],
                "allowed": (_("Statuts possibles : %(list)s.") % {"list": allowed})
                if allowed
                else _("Ce statut est définitif."),
            }
        )
