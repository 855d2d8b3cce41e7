"""The e-mail that tells staff a contact message arrived. Written to the outbox with the message,
in its transaction; a failing mail server delays it (backoffice/outbox.py), never loses either."""

import logging
from email.utils import formataddr

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from contact.models import ContactMessage

logger = logging.getLogger(__name__)

# Whoever may mark a message handled is told it arrived: the Relations internationales role,
# as `backoffice.roles` hands out this permission (that module sits above this app's layer).
HANDLE_PERMISSION = "contact.change_contactmessage"


# Names the message a mail is about, in the outbox's copy of its headers: deleting the message
# deletes that mail too (contact.services).
CONTACT_MESSAGE_HEADER = "X-Portal-Contact-Message"


def recipients() -> list[str]:
    """The addresses of the active accounts that hold the permission through a role or directly.

    Superusers are left out unless a role includes them: IT is not the service that answers.
    """
    users = get_user_model().objects.with_perm(
        HANDLE_PERMISSION,
        is_active=True,
        include_superusers=False,
        # The login lockout's backend grants nothing; the permissions live in the model backend.
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return list(users.exclude(email="").order_by("email").values_list("email", flat=True).distinct())


def send_new_message(message_id: int) -> None:
    message = ContactMessage.objects.filter(pk=message_id).first()
    if message is None:
        return
    to = recipients()
    if not to:
        logger.warning("Nobody handles contact messages: message %s waits in the admin, unmailed", message.pk)
        return
    context = {
        "message": message,
        "admin_url": settings.PORTAL_BASE_URL
        + reverse("admin:contact_contactmessage_change", args=[quote(message.pk)]),
    }
    # Staff of a French school: the notice is in French, whatever language the sender used.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("contact/emails/new_message_subject.txt", context).split())
        text = render_to_string("contact/emails/new_message.txt", context)
    mail = EmailMessage(
        subject,
        text,
        to=to,
        # "Reply" in the mail program answers the sender; the name is quoted, never trusted as syntax.
        reply_to=[formataddr((" ".join(message.name.split()), message.email))],
        headers={CONTACT_MESSAGE_HEADER: str(message.pk)},
    )
    mail.send()
