"""Writes of the contact app: a message received, marked handled, deleted."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from post_office.models import Email

from contact import emails
from contact.models import ContactMessage


@transaction.atomic
def contact_message_submit(
    *,
    name: str,
    email: str,
    subject: str,
    body: str,
    language: str,
    application_reference: str = "",
) -> ContactMessage:
    """Store the message, and the mail to the staff who handle messages: the outbox delivers it
    once both are committed (backoffice/outbox.py)."""
    message = ContactMessage.objects.create(
        name=name,
        email=email,
        subject=subject,
        body=body,
        language=language,
        application_reference=application_reference,
    )
    emails.send_new_message(message.pk)
    return message


def contact_messages_mark(
    *,
    messages: QuerySet[ContactMessage],
    handled: bool,
    actor: AbstractBaseUser | AnonymousUser | None,
) -> int:
    """Mark these messages handled (now, by `actor`) or back to waiting; return how many changed.

    A message already in the asked state keeps its date and handler.
    """
    if handled:
        by = actor if isinstance(actor, AbstractBaseUser) else None
        return messages.filter(handled_at__isnull=True).update(handled_at=timezone.now(), handled_by=by)
    return messages.filter(handled_at__isnull=False).update(handled_at=None, handled_by=None)


@transaction.atomic
def contact_messages_delete(*, messages: QuerySet[ContactMessage]) -> int:
    """Delete these messages, the mails about them and the admin's log entries about them;
    return how many went."""
    ids = list(messages.values_list("pk", flat=True))
    if not ids:
        return 0
    ContactMessage.objects.filter(pk__in=ids).delete()
    # The outbox's copy of the mail to staff holds the message and its writer's address.
    Email.objects.filter(
        **{f"headers__{emails.CONTACT_MESSAGE_HEADER}__in": [str(pk) for pk in ids]}
    ).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ContactMessage),
        object_id__in=[str(pk) for pk in ids],
    ).delete()
    return len(ids)
