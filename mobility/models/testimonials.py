"""Testimonials: a short account of a finished mobility, written by the person who went, through
a personal link, and published once staff approve it.

A testimonial outlives the application it tells about (deleted after its retention period): it
keeps the link's hash, the destination and the year, so that its author can still edit or
withdraw it, and the pages can still show it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.academic_years import academic_year_label
from uploads.storage import RandomUploadPath, private_storage

DISPLAY_NAME_MAX_LENGTH = 30
TEXT_MIN_LENGTH, TEXT_MAX_LENGTH = 100, 1500


class TestimonialStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    PUBLISHED = "published", _("publié")
    REFUSED = "refused", _("refusé")


class TestimonialQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=TestimonialStatus.PUBLISHED)


class Testimonial(models.Model):
    application = models.OneToOneField(
        "mobility.Application",
        verbose_name=_("candidature"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonial",
    )
    # The hash of the author's personal link, as on the application it was written from.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("statut"), max_length=20, choices=TestimonialStatus.choices, default=TestimonialStatus.PENDING
    )
    text = models.TextField(_("témoignage"))
    display_name = models.CharField(_("prénom ou initiales affichés"), max_length=DISPLAY_NAME_MAX_LENGTH)
    photo = models.FileField(
        _("photo"), storage=private_storage, upload_to=RandomUploadPath("testimonials"), blank=True
    )
    photo_alt = models.CharField(_("description de la photo"), max_length=200, blank=True)
    institution = models.ForeignKey(
        "partnerships.Institution",
        verbose_name=_("établissement d’accueil"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="testimonials",
    )
    academic_year = models.PositiveSmallIntegerField(
        _("année universitaire"), help_text=_("L’année où elle commence : 2026 pour 2026-2027.")
    )
    # The language the author wrote in: the pages mark the text with it.
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    consent_given_at = models.DateTimeField(_("consentement à la publication donné le"))
    submitted_at = models.DateTimeField(_("écrit le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    moderated_at = models.DateTimeField(_("modéré le"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modéré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Who moderated, when, and each status; never what the person wrote, nor the link's hash:
    # a withdrawn testimonial leaves its trace in this log, and nothing of its content.
    audit_trail = HistoricalRecords(
        excluded_fields=["token_hash", "text", "display_name", "photo", "photo_alt"]
    )

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        verbose_name = _("témoignage")
        verbose_name_plural = _("témoignages")
        ordering = ["-submitted_at"]
        permissions = [("moderate_testimonial", _("Peut publier ou refuser un témoignage"))]
        indexes = [models.Index(fields=["status", "-submitted_at"], name="testimonial_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in TestimonialStatus]),
                name="testimonial_status_known",
            ),
            # Every published photo is described for those who cannot see it.
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="testimonial_photo_described"
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="testimonial_language_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} — {self.academic_year_label}"

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)

    @property
    def is_published(self) -> bool:
        return self.status == TestimonialStatus.PUBLISHED

    def get_photo_url(self) -> str:
        return reverse("mobility:testimonial_photo", kwargs={"pk": self.pk})
