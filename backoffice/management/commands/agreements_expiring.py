"""The agreements that expire soon, for a daily cron job: silent when there are none."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from backoffice.roles import INTERNATIONAL_RELATIONS
from backoffice.services import digests
from partnerships.models import Agreement
from partnerships.selectors import party_names, with_parties


class Command(BaseCommand):
    help = (
        "List the agreements in force that end (31 August of their last academic year) within "
        "--days days, one per line; with --email, also send one digest e-mail to the active members "
        "of the « Relations internationales » group. Prints nothing and sends nothing when no "
        "agreement expires, so that cron mails nobody."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="The window, in days (default: 90).")
        parser.add_argument(
            "--email",
            action="store_true",
            help="Also send the list by e-mail to the international relations group.",
        )

    def handle(self, *args, days: int, email: bool, **options):
        if days < 0:
            raise CommandError("--days must be zero or more.")
        agreements = list(
            with_parties(
                Agreement.objects.expiring_within(days).order_by("last_academic_year", "title", "pk")
            )
        )
        if not agreements:
            return  # cron mails whatever is printed: nothing to say, nothing printed
        # French, the language of the staff who read the output.
        with translation.override(settings.LANGUAGE_CODE):
            for agreement in agreements:
                self.stdout.write(
                    _("%(title)s — fin le %(end)s — %(parties)s")
                    % {
                        "title": agreement.title,
                        # An expiring agreement has an end: its last academic year.
                        "end": agreement.ends_on.strftime("%d/%m/%Y") if agreement.ends_on else "",
                        "parties": party_names(agreement),
                    }
                )
            if email:
                self._send(agreements, days)

    def _send(self, agreements: list[Agreement], days: int) -> None:
        try:
            recipients = digests.expiry_digest_send(agreements=agreements, days=days)
        except digests.NoRecipients as error:
            # Not a failure of the job: the list is printed above, cron still mails it.
            self.stderr.write(str(error))
            return
        except OSError as error:  # smtplib's errors included
            raise CommandError(_("L’e-mail n’a pas pu être envoyé : %(error)s") % {"error": error}) from error
        self.stdout.write(
            _("Récapitulatif envoyé par e-mail à %(count)d personne(s) du groupe « %(group)s ».")
            % {"count": len(recipients), "group": INTERNATIONAL_RELATIONS}
        )
