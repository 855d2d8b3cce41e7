"""The messages people send through the public contact form."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# MOB-<year>-<id>, the id written with five digits at least (see mobility.services).
APPLICATION_REFERENCE_PATTERN = r"MOB-\d{4}-\d{5,}"


class ContactMessageQuerySet(models.QuerySet["ContactMessage"]):
    def waiting(self) -> "ContactMessageQuerySet":
        return self.filter(handled_at__isnull=True)

    def handled(self) -> "ContactMessageQuerySet":
        return self.filter(handled_at__isnull=False)

    def handled_before(self, moment) -> "ContactMessageQuerySet":
        return self.filter(handled_at__lt=moment)


class ContactMessage(models.Model):
    """One message from the contact form, kept for the staff who answer it.

    Handled messages are deleted by the retention purge (`backoffice.retention`) once their
    handling is older than PORTAL_RETENTION_MONTHS.
    """

    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    application_reference = models.CharField(_("référence de candidature"), max_length=20, blank=True)
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    # The site's language when it was sent: the language to answer in.
    language = models.CharField(_("langue"), max_length=10, choices=settings.LANGUAGES)
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now, db_index=True)
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message de contact")
        verbose_name_plural = _("messages de contact")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handled_by__isnull=True) | models.Q(handled_at__isnull=False),
                name="contact_message_handler_only_once_handled",
            ),
            models.CheckConstraint(
                condition=~models.Q(body="") & ~models.Q(subject="") & ~models.Q(email=""),
                name="contact_message_has_sender_subject_and_body",
            ),
        ]

    def __str__(self) -> str:
        # No name nor subject: this text is copied into the admin's log, which outlives the message.
        return gettext("Message n° %(number)s") % {"number": self.pk}

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
