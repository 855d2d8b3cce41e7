"""The digest of the agreements about to expire, e-mailed to the international relations staff."""

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from backoffice.roles import INTERNATIONAL_RELATIONS
from partnerships.models import Agreement
from partnerships.selectors import party_names


class NoRecipients(Exception):
    """Nobody to send the digest to; the message says why, in French."""


def expiry_digest_recipients() -> list[str]:
    """The e-mail addresses of the active members of the international relations group."""
    group = Group.objects.filter(name=INTERNATIONAL_RELATIONS).first()
    if group is None:
        raise NoRecipients(
            _("Le groupe « %(group)s » n’existe pas : aucun e-mail envoyé.")
            % {"group": INTERNATIONAL_RELATIONS}
        )
    addresses = list(
        group.user_set.filter(is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    if not addresses:
        raise NoRecipients(
            _("Le groupe « %(group)s » n’a aucun membre actif avec une adresse e-mail : aucun e-mail envoyé.")
            % {"group": INTERNATIONAL_RELATIONS}
        )
    return addresses


def expiry_digest_send(*, agreements: list[Agreement], days: int) -> list[str]:
    """One e-mail listing `agreements`, to the international relations group; returns its recipients.

    Raises NoRecipients when the group is missing or has nobody to write to. `agreements`
    should come through `partnerships.selectors.with_parties`, whose parties the e-mail lists.
    """
    recipients = expiry_digest_recipients()
    items = [
        {
            "agreement": agreement,
            "parties": party_names(agreement),
            "url": settings.PORTAL_BASE_URL
            + reverse("admin:partnerships_agreement_change", args=[quote(agreement.pk)]),
        }
        for agreement in agreements
    ]
    context = {"items": items, "days": days, "count": len(items)}
    # Staff of a French school: the digest is in French, whatever language the command runs in.
    with translation.override(settings.LANGUAGE_CODE):
        template = "admin/partnerships/emails/agreements_expiring"
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=recipients)
    message.attach_alternative(html, "text/html")
    message.send()
    return recipients
