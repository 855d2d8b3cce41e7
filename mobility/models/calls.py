import datetime
from typing import Any, ClassVar

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.academic_years import academic_year_label
from partnerships.models import MobilityTerm
from partnerships.models.english_slugs import EnglishSlugModel


class Audience(models.TextChoices):
    STUDENTS = "students", _("étudiants")
    STAFF = "staff", _("personnels et usagers")
    EVERYONE = "everyone", _("étudiants, personnels et usagers")


class DocumentKind(models.TextChoices):
    CV = "cv", _("curriculum vitae")
    MOTIVATION_LETTER = "motivation_letter", _("lettre de motivation")
    TRANSCRIPT = "transcript", _("relevé de notes")
    LANGUAGE_CERTIFICATE = "language_certificate", _("attestation de niveau de langue")
    RECOMMENDATION = "recommendation", _("lettre de recommandation")
    OTHER = "other", _("autre pièce")


class CallState(models.TextChoices):
    """Where a call stands in time: before its opening, between opening and closing, after."""

    UPCOMING = "upcoming", _("à venir")
    OPEN = "open", _("ouvert")
    CLOSED = "closed", _("clôturé")


# The one definition of a call's state, over [opens_at, closes_at): the database filters with
# `state_conditions`, Python reads `state_at`; each is written from the other, side by side.
def state_conditions(moment: datetime.datetime) -> dict[str, Q]:
    return {
        CallState.UPCOMING: Q(opens_at__gt=moment),
        CallState.OPEN: Q(opens_at__lte=moment, closes_at__gt=moment),
        CallState.CLOSED: Q(closes_at__lte=moment),
    }


def state_at(
    opens_at: datetime.datetime, closes_at: datetime.datetime, moment: datetime.datetime
) -> CallState:
    if moment < opens_at:
        return CallState.UPCOMING
    return CallState.OPEN if moment < closes_at else CallState.CLOSED


class CallQuerySet(models.QuerySet):
    def published(self) -> "CallQuerySet":
        return self.filter(is_published=True)

    def in_state(self, state: str, moment: datetime.datetime | None = None) -> "CallQuerySet":
        """The calls in `state` at `moment` (now by default), published or not."""
        return self.filter(state_conditions(moment or timezone.now())[state])

    def open_at(self, moment: datetime.datetime | None = None) -> "CallQuerySet":
        return self.published().in_state(CallState.OPEN, moment)

    def upcoming_at(self, moment: datetime.datetime | None = None) -> "CallQuerySet":
        return self.published().in_state(CallState.UPCOMING, moment)

    def closed_at(self, moment: datetime.datetime | None = None) -> "CallQuerySet":
        return self.published().in_state(CallState.CLOSED, moment)


class Call(EnglishSlugModel):
    """A call for applications: who may apply, to which destinations, until when."""

    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(_("identifiant d’URL"), max_length=120, unique=True)
    academic_year = models.PositiveSmallIntegerField(
        _("année universitaire"), help_text=_("Année de la rentrée : 2026 pour 2026-2027.")
    )
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    direction = models.CharField(
        _("sens"),
        max_length=10,
        choices=MobilityTerm.Direction.choices,
        default=MobilityTerm.Direction.OUTGOING,
    )
    mobility_types = models.JSONField(
        _("types de mobilité"),
        default=list,
        blank=True,
        help_text=_("Un ou plusieurs types : études, stage, mission d’enseignement, formation."),
    )
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"), help_text=_("Heure de Paris."))
    description = models.TextField(_("présentation"))
    is_published = models.BooleanField(_("publié"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("appel à candidatures")
        verbose_name_plural = _("appels à candidatures")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_it_opens"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mobility:call", kwargs={"slug": self.url_slug})

    def state_at(self, moment: datetime.datetime | None = None) -> CallState:
        return state_at(self.opens_at, self.closes_at, moment or timezone.now())

    @property
    def state(self) -> CallState:
        """Upcoming, open or closed, now."""
        return self.state_at()

    def is_open(self, moment: datetime.datetime | None = None) -> bool:
        """Published, and open at `moment` (now by default): it accepts applications."""
        return self.is_published and self.state_at(moment) == CallState.OPEN

    @property
    def is_incoming(self) -> bool:
        return self.direction == MobilityTerm.Direction.INCOMING

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)

    def get_mobility_types_display(self) -> list[str]:
        labels = dict(MobilityTerm.MobilityType.choices)
        return [str(labels[value]) for value in self.mobility_types if value in labels]

    @property
    def accepts_students(self) -> bool:
        return self.audience in (Audience.STUDENTS, Audience.EVERYONE)

    @property
    def accepts_staff(self) -> bool:
        return self.audience in (Audience.STAFF, Audience.EVERYONE)


class CallDestination(models.Model):
    """A partner institution offered by a call, with its places."""

    call = models.ForeignKey(
        Call, verbose_name=_("appel"), on_delete=models.CASCADE, related_name="destinations"
    )
    institution = models.ForeignKey(
        "partnerships.Institution",
        verbose_name=_("établissement"),
        on_delete=models.PROTECT,
        related_name="call_destinations",
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement",
        verbose_name=_("accord"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_destinations",
    )
    places = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    note = models.CharField(_("précision"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    # Every create, change and delete, with who, when and the old and new values.
    audit_trail = HistoricalRecords()

    class Meta:
        verbose_name = _("destination proposée")
        verbose_name_plural = _("destinations proposées")
        ordering = ["call", "position", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "institution"], name="call_destination_unique_institution"
            ),
        ]

    def __str__(self) -> str:
        return str(self.institution)


class CallDocument(models.Model):
    """A document that applicants to a call must (or may) attach."""

    call = models.ForeignKey(
        Call, verbose_name=_("appel"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("pièce"), max_length=30, choices=DocumentKind.choices)
    is_required = models.BooleanField(_("obligatoire"), default=True)
    help_text = models.CharField(_("consigne"), max_length=255, blank=True)

    # Every create, change and delete, with who, when and the old and new values.
    audit_trail = HistoricalRecords()

    class Meta:
        verbose_name = _("pièce demandée")
        verbose_name_plural = _("pièces demandées")
        ordering = ["call", "-is_required", "kind"]
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="call_document_unique_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()
