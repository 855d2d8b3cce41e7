from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from post_office.models import Email


class AuditEvent(models.Model):
    """A staff action that must leave a trace of its own: an export, a deletion, a purge.

    Changes to a row are traced by its audit trail (django-simple-history); these events cover
    what leaves no row behind to carry a history.
    """

    class Action(models.TextChoices):
        EXPORT = "export", _("export")
        DELETE = "delete", _("suppression par le personnel")
        PURGE = "purge", _("purge des données personnelles")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    subject = models.CharField(_("objet"), max_length=100, help_text=_("Par exemple « candidatures »."))
    detail = models.JSONField(_("détail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement d’audit")
        verbose_name_plural = _("journal d’audit")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.subject}"


class OutboxMail(Email):
    """django-post-office's mail row, named in French for the admin (backoffice/admin/outbox.py)."""

    class Meta:
        proxy = True
        verbose_name = _("e-mail envoyé par le portail")
        verbose_name_plural = _("e-mails envoyés par le portail")
