"""E-mails to applicants, in the language of their application. Written to the outbox in the
transaction of the change that causes them, delivered once it commits; a failing mail server
delays them (backoffice/outbox.py) and never undoes the application or its status change."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from mobility.models import Application, StatusChange

# Names the application a mail is about, in the outbox's copy of its headers: deleting the
# application deletes its mails too (backoffice.services.applications).
APPLICATION_HEADER = "X-Portal-Application"


def _send(application: Application, template: str, context: dict | None = None) -> None:
    # In the language of the form the person filled in, the follow-up link included
    # (/en/mobility/follow-up/… for an English application), whoever causes the mail.
    with translation.override(application.language):
        context = {
            **(context or {}),
            "application": application,
            "follow_up_url": settings.PORTAL_BASE_URL + application.get_follow_up_url(),
            "contact_email": settings.PORTAL_CONTACT_EMAIL,
        }
        subject = " ".join(render_to_string(f"mobility/emails/{template}_subject.txt", context).split())
        text = render_to_string(f"mobility/emails/{template}.txt", context)
        html = render_to_string(f"mobility/emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject, text, to=[application.email], headers={APPLICATION_HEADER: application.reference}
    )
    message.attach_alternative(html, "text/html")
    message.send()


def send_submitted(application_id: int) -> None:
    application = Application.objects.select_related("call").get(pk=application_id)
    _send(application, "submitted", {})


def send_status_changed(change_id: int) -> None:
    change = StatusChange.objects.select_related("application__call").get(pk=change_id)
    _send(change.application, "status_changed", {"change": change})


def send_testimonial_invitation(application_id: int) -> None:
    application = Application.objects.select_related("call").get(pk=application_id)
    # Computed in the application's language, as the follow-up link is: /en/… for English.
    with translation.override(application.language):
        testimonial_url = settings.PORTAL_BASE_URL + application.get_testimonial_url()
    _send(application, "testimonial_invitation", {"testimonial_url": testimonial_url})
