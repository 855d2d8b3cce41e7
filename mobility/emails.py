"""E-mails to applicants, in the language of their application. Sent after the transaction
commits; a failing mail server is logged and never undoes the application or its status change."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from mobility.models import Application, StatusChange

logger = logging.getLogger(__name__)


def _send(application: Application, template: str, context: dict) -> None:
    # In the language of the form the person filled in, the follow-up link included
    # (/en/mobility/follow-up/… for an English application), whoever causes the mail.
    with translation.override(application.language):
        context = {
            **context,
            "application": application,
            "follow_up_url": settings.PORTAL_BASE_URL + application.get_follow_up_url(),
            "contact_email": settings.PORTAL_CONTACT_EMAIL,
        }
        subject = " ".join(render_to_string(f"mobility/emails/{template}_subject.txt", context).split())
        text = render_to_string(f"mobility/emails/{template}.txt", context)
        html = render_to_string(f"mobility/emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[application.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("Could not send the %s e-mail for application %s", template, application.reference)


def send_submitted(application_id: int) -> None:
    application = Application.objects.select_related("call").get(pk=application_id)
    _send(application, "submitted", {})


def send_status_changed(change_id: int) -> None:
    change = StatusChange.objects.select_related("application__call").get(pk=change_id)
    _send(change.application, "status_changed", {"change": change})
