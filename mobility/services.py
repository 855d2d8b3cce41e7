"""Every write of the mobility workflow: submitting an application and changing its status.

The public views and the admin both call these functions, so no path skips the
rules (open call, allowed transitions) or the history and the e-mails.
"""

import datetime
import logging
import secrets
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from mobility import emails, testimonial_services
from mobility.models import (
    Application,
    ApplicationChoice,
    ApplicationDocument,
    ApplicationLanguage,
    Call,
    CallDestination,
    StatusChange,
)
from mobility.models.applications import FINAL_STATUSES, TRANSITIONS, Category, Status, hash_token
from partnerships.models import Programme
from uploads.checks import CheckedDocument
from uploads.removal import delete_files

logger = logging.getLogger(__name__)


class CallClosed(ValidationError):
    pass


class TransitionRefused(ValidationError):
    pass


class ApplicantRefused(ValidationError):
    """What the applicant said breaks a rule of the application; the messages name the fields."""


@dataclass(frozen=True)
class UploadedDocument:
    """A document given for one kind of piece: the name the applicant gave it (shown to staff,
    never used to store or serve it) and its content as `validate_document` found and cleaned it."""

    kind: str
    original_name: str
    checked: CheckedDocument


@dataclass(frozen=True)
class Applicant:
    """Who applies, and for what: the application's own fields, as the person gave them."""

    given_names: str
    family_name: str
    email: str
    category: str
    mobility_type: str
    wished_start: datetime.date
    wished_end: datetime.date
    motivation: str
    phone: str = ""
    programme: Programme | None = None
    year_of_study: int | None = None
    home_institution: str = ""


def applicant_errors(
    *,
    category: str | None,
    programme: Programme | None,
    year_of_study: int | None,
    wished_start: datetime.date | None,
    wished_end: datetime.date | None,
) -> dict[str, str]:
    """The rules of who may apply with what, as {field: message}; empty when all hold.

    A student names the programme followed and the year of it; nobody else has either. The
    mobility ends no earlier than it starts. A value that is None (not given, or already
    refused by a form) is not judged here.
    """
    errors: dict[str, str] = {}
    if category == Category.STUDENT:
        if programme is None:
            errors["programme"] = _("Indiquez la formation que vous suivez.")
        if not year_of_study:
            errors["year_of_study"] = _("Indiquez votre année de formation.")
    elif category and (programme is not None or year_of_study is not None):
        errors["programme"] = _("Seuls les étudiants et étudiantes indiquent une formation suivie.")
    if wished_start and wished_end and wished_end < wished_start:
        errors["wished_end"] = _("La fin doit suivre le début : vérifiez les deux dates.")
    return errors


def applicant_check(applicant: Applicant) -> None:
    """Raise ApplicantRefused, with a message per field, when `applicant` breaks a rule."""
    errors = applicant_errors(
        category=applicant.category,
        programme=applicant.programme,
        year_of_study=applicant.year_of_study,
        wished_start=applicant.wished_start,
        wished_end=applicant.wished_end,
    )
    if errors:
        raise ApplicantRefused(errors)


def application_submit(
    *,
    call: Call,
    submission_key: str,
    applicant: Applicant,
    choices: list[CallDestination],
    languages: list[tuple[str, str]],
    documents: list[UploadedDocument],
    language: str = settings.LANGUAGE_CODE,
) -> tuple[Application, bool]:
    """Record an application to an open call; returns (application, created).

    `language` is the one of the form the person filled in; every e-mail to them uses it.

    A second submission of the same form (same `submission_key`) returns the first
    application instead of creating another. The confirmation e-mail leaves only
    once the transaction has committed. Raises CallClosed, or ApplicantRefused when
    `applicant` breaks a rule (see `applicant_check`).
    """
    existing = Application.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing, False
    applicant_check(applicant)
    if not call.is_open():
        raise CallClosed(
            _("Cet appel à candidatures n’est pas ouvert : la candidature n’a pas été enregistrée.")
        )
    stored: list[ApplicationDocument] = []
    try:
        with transaction.atomic():
            application = _create_application(call, submission_key, applicant, choices, languages, language)
            for document in documents:
                stored.append(_store_document(application, document))
            StatusChange.objects.create(
                application=application, from_status="", to_status=Status.SUBMITTED, by_applicant=True
            )
            # In the outbox, in this transaction: delivered once it commits (backoffice/outbox.py).
            emails.send_submitted(application.pk)
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


def _create_application(
    call: Call,
    submission_key: str,
    applicant: Applicant,
    choices: list[CallDestination],
    languages: list[tuple[str, str]],
    language: str,
) -> Application:
    token_salt = secrets.token_hex(32)
    application = Application(
        call=call,
        language=language,
        submission_key=submission_key,
        token_salt=token_salt,
        # A unique placeholder until the id, and so the readable reference, is known.
        reference=f"TMP-{secrets.token_hex(8)}",
        consent_given_at=timezone.now(),
        **asdict(applicant),
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
    checked = document.checked
    record = ApplicationDocument(
        application=application,
        kind=document.kind,
        original_name=document.original_name[-255:],
        content_type=checked.content_type,
        size=checked.size,
    )
    checked.content.seek(0)
    # Named by us from the type found: the storage keeps a random name with this extension.
    record.file.save(f"{document.kind}{checked.extension}", checked.content, save=False)
    record.save()
    return record


def _discard_files(documents: list[ApplicationDocument]) -> None:
    """The files of an application that was not recorded after all: no row will ever name them."""
    for document in documents:
        delete_files(document.file.storage, [document.file.name])


def transition_refusal(*, application: Application, to_status: str, by_applicant: bool = False) -> str | None:
    """Why `application` may not move to `to_status`, in words fit for the person; None if it may.

    The workflow's one judge: staff follow `TRANSITIONS`; the applicant may only withdraw, from
    any status that is not final. The admin's buttons and the follow-up page ask it too.
    """
    labels = dict(Status.choices)
    current = application.status
    if to_status not in labels:
        return _("Statut inconnu : %(status)s.") % {"status": to_status}
    if by_applicant:
        if to_status != Status.WITHDRAWN:
            return _("Une personne candidate peut seulement retirer sa candidature.")
        if current in FINAL_STATUSES:
            return _("Cette candidature est déjà « %(status)s » : elle ne peut plus être retirée.") % {
                "status": labels[current]
            }
        return None
    if to_status in TRANSITIONS[current]:
        return None
    allowed = allowed_transitions(application)
    return _("Une candidature « %(current)s » ne peut pas passer à « %(target)s ». %(allowed)s") % {
        "current": labels[current],
        "target": labels[to_status],
        "allowed": (
            _("Statuts possibles : %(list)s.")
            % {"list": ", ".join(_("« %(status)s »") % {"status": labels[s]} for s in allowed)}
            if allowed
            else _("Ce statut est définitif.")
        ),
    }


def allowed_transitions(application: Application) -> list[Status]:
    """The statuses staff may move `application` to now, in the workflow's order."""
    return [status for status in Status if status in TRANSITIONS[application.status]]


def can_withdraw(application: Application) -> bool:
    return transition_refusal(application=application, to_status=Status.WITHDRAWN, by_applicant=True) is None


def application_transition(
    *,
    application: Application,
    to_status: str,
    actor: User | None = None,
    by_applicant: bool = False,
    comment: str = "",
    visible_to_applicant: bool = False,
) -> StatusChange:
    """Move an application along the workflow, with its history row and an e-mail to the applicant.

    Raises TransitionRefused, with `transition_refusal`'s message, when the move is not allowed
    from the status the application has once locked (another reviewer may have moved it).
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        refusal = transition_refusal(application=locked, to_status=to_status, by_applicant=by_applicant)
        if refusal:
            raise TransitionRefused(refusal)
        change = _status_change(
            locked,
            to_status=to_status,
            actor=None if by_applicant else actor,
            by_applicant=by_applicant,
            comment=comment,
            visible_to_applicant=visible_to_applicant or by_applicant,
        )
    application.refresh_from_db()
    return change


# The decisions staff may take back, to examine the application again (a mistake, or news that
# changes the picture). Only these: a withdrawal is the applicant's own act, and a mobility that
# has started or ended is a fact, not a decision.
REVERSIBLE_DECISIONS = frozenset({Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED})


def reverts_decision(*, from_status: str, to_status: str) -> bool:
    """Whether a move from `from_status` to `to_status` takes a decision back (the workflow
    itself never leads from a decision to « en cours d’examen »)."""
    return to_status == Status.UNDER_REVIEW and from_status in REVERSIBLE_DECISIONS


def decision_reversal_refusal(*, application: Application) -> str | None:
    """Why the decision on `application` may not be taken back, in words fit for staff; None if it may."""
    if application.status in REVERSIBLE_DECISIONS:
        return None
    labels = dict(Status.choices)
    return _(
        "Une candidature « %(current)s » n’a pas de décision à annuler : seule une candidature "
        "« %(accepted)s », « %(waitlisted)s » ou « %(rejected)s » peut revenir en examen."
    ) % {
        "current": labels[application.status],
        "accepted": labels[Status.ACCEPTED],
        "waitlisted": labels[Status.WAITLISTED],
        "rejected": labels[Status.REJECTED],
    }


def application_decision_revert(
    *, application: Application, actor: User | None, reason: str, visible_to_applicant: bool
) -> StatusChange:
    """Take back the decision on `application`: it is « en cours d’examen » again.

    The reason is required and kept, with who and when, in the status history (and in the
    audit trail's row of the change). The retention period, which runs from a final decision,
    no longer runs. The applicant is mailed as for any status change. Raises TransitionRefused
    when the reason is blank, or when the application holds no decision any more (another
    reviewer may have moved it).
    """
    reason = reason.strip()
    if not reason:
        raise TransitionRefused(_("Indiquez pourquoi la décision est annulée."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        refusal = decision_reversal_refusal(application=locked)
        if refusal:
            raise TransitionRefused(refusal)
        # django-simple-history keeps it with the audit trail's row of this change, in a column
        # of 100 characters; the status history keeps it whole.
        locked._change_reason = Truncator(reason).chars(100)  # type: ignore[attr-defined]
        change = _status_change(
            locked,
            to_status=Status.UNDER_REVIEW,
            actor=actor,
            comment=reason,
            visible_to_applicant=visible_to_applicant,
        )
    application.refresh_from_db()
    return change


def _status_change(
    locked: Application,
    *,
    to_status: str,
    actor: User | None,
    comment: str,
    visible_to_applicant: bool,
    by_applicant: bool = False,
) -> StatusChange:
    """Record the move of `locked` (a row locked by the caller's transaction) to `to_status`:
    its history row, its status and decision date, and the applicant's e-mail once committed."""
    change = StatusChange.objects.create(
        application=locked,
        from_status=locked.status,
        to_status=to_status,
        changed_by=actor,
        by_applicant=by_applicant,
        comment=comment.strip(),
        visible_to_applicant=visible_to_applicant,
    )
    locked.status = to_status
    # Only a final status has a decision date: the retention period runs from it.
    locked.decided_at = timezone.now() if to_status in FINAL_STATUSES else None
    locked.save(update_fields=["status", "decided_at", "updated_at"])
    emails.send_status_changed(change.pk)
    if to_status == Status.COMPLETED:
        # Back from the mobility: the person is invited to tell about it, once.
        testimonial_services.testimonial_invite(locked)
    return change
