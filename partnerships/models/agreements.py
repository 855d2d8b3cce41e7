import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.academic_years import (
    ACADEMIC_YEAR_END,
    ACADEMIC_YEAR_START,
    academic_year_label,
    academic_year_of,
    local_today,
)
from partnerships.documents import validate_signed_pdf
from partnerships.models.natural_keys import NaturalKeyManager, NaturalKeyModel
from partnerships.models.programmes import isced_code_validator
from partnerships.vocabularies import EQF_LEVELS, iso_639_1_choices
from uploads.storage import RandomUploadPath, private_storage


class AgreementQuerySet(models.QuerySet):
    def signed(self):
        return self.filter(is_draft=False, is_terminated=False)

    def in_force(self, today: datetime.date | None = None):
        """Signed, not terminated, and the current academic year within its period (open ends allowed)."""
        year = academic_year_of(today or local_today())
        return self.signed().filter(
            Q(first_academic_year__isnull=True) | Q(first_academic_year__lte=year),
            Q(last_academic_year__isnull=True) | Q(last_academic_year__gte=year),
        )

    def expired(self, today: datetime.date | None = None):
        year = academic_year_of(today or local_today())
        return self.signed().filter(last_academic_year__lt=year)

    def upcoming(self, today: datetime.date | None = None):
        year = academic_year_of(today or local_today())
        return self.signed().filter(first_academic_year__gt=year)

    def with_status(self, status: str, today: datetime.date | None = None):
        """The agreements whose `Agreement.status()` is `status`, as a database filter."""
        today = today or local_today()
        days = settings.PORTAL_EXPIRY_WARNING_DAYS
        expiring = self.expiring_within(days, today)
        by_status: dict[str, AgreementQuerySet] = {
            Agreement.Status.TERMINATED: self.filter(is_terminated=True),
            Agreement.Status.DRAFT: self.filter(is_draft=True, is_terminated=False),
            Agreement.Status.UPCOMING: self.upcoming(today),
            Agreement.Status.EXPIRED: self.expired(today),
            Agreement.Status.EXPIRING: expiring,
            Agreement.Status.IN_FORCE: self.in_force(today).exclude(pk__in=expiring.values("pk")),
        }
        return by_status[status]

    def expiring_within(self, days: int, today: datetime.date | None = None):
        """In force, and ending (31 August of its last academic year) within `days` days."""
        today = today or local_today()
        horizon = today + datetime.timedelta(days=days)
        # The latest academic year whose end (31 August) falls on or before the horizon.
        ends_by_horizon = horizon >= datetime.date(horizon.year, *ACADEMIC_YEAR_END)
        last = horizon.year - 1 if ends_by_horizon else horizon.year - 2
        return self.in_force(today).filter(last_academic_year__lte=last)


AgreementManager = NaturalKeyManager.from_queryset(AgreementQuerySet)


class Agreement(NaturalKeyModel):
    NATURAL_KEY = ("slug",)

    class Kind(models.TextChoices):
        ERASMUS_IIA = "erasmus_iia", _("accord interinstitutionnel Erasmus+")
        PARTNERSHIP_CONVENTION = "partnership_convention", _("convention de partenariat")
        BILATERAL = "bilateral", _("accord bilatéral")
        OTHER = "other", _("autre accord")

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        UPCOMING = "upcoming", _("à venir")
        IN_FORCE = "in_force", _("en vigueur")
        EXPIRING = "expiring", _("expire bientôt")
        EXPIRED = "expired", _("expiré")
        TERMINATED = "terminated", _("résilié")

    title = models.CharField(_("intitulé"), max_length=255)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    kind = models.CharField(_("type d’accord"), max_length=30, choices=Kind.choices)
    network = models.ForeignKey(
        "partnerships.Network",
        verbose_name=_("réseau ou programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    parties = models.ManyToManyField(
        "partnerships.Institution",
        through="partnerships.AgreementParty",
        related_name="agreements",
        verbose_name=_("signataires"),
    )
    scope = models.TextField(
        _("objet"), blank=True, help_text=_("Ce que couvre l’accord, en une ou deux phrases publiques.")
    )
    programmes: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        "partnerships.Programme",
        related_name="agreements",
        blank=True,
        verbose_name=_("formations couvertes"),
    )
    signed_year = models.PositiveSmallIntegerField(
        _("année de signature"), null=True, blank=True, help_text=_("Quand la date exacte n’est pas connue.")
    )
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    first_academic_year = models.PositiveSmallIntegerField(
        _("première année universitaire"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("Année de la rentrée : 2024 pour 2024-2025."),
    )
    last_academic_year = models.PositiveSmallIntegerField(
        _("dernière année universitaire"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("Année de la rentrée de la dernière année couverte : 2028 pour 2028-2029."),
    )
    is_draft = models.BooleanField(
        _("brouillon"), default=False, help_text=_("En préparation, pas encore signé : jamais publié.")
    )
    is_terminated = models.BooleanField(_("résilié"), default=False)
    # Kept up to date by partnerships.ewp.hash_tracking, so that the audit trail shows each change.
    iia_hash = models.CharField(
        _("empreinte EWP (iia-hash)"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "L’empreinte des conditions de coopération au format EWP IIA v7, recalculée à chaque "
            "changement ; vide tant que l’accord n’est pas exportable."
        ),
    )
    # What the partner's own copy says, from an imported IIA (partnerships.ewp.iia_import).
    partner_iia_id = models.CharField(
        _("identifiant EWP du partenaire (iia-id)"),
        max_length=255,
        blank=True,
        help_text=_("L’identifiant de l’accord dans le système du partenaire, repris dans nos exports EWP."),
    )
    partner_iia_hash = models.CharField(
        _("empreinte EWP du partenaire"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("L’iia-hash de la copie du partenaire, lors du dernier import de son fichier."),
    )
    document = models.FileField(
        _("accord signé (PDF)"),
        storage=private_storage,
        upload_to=RandomUploadPath("agreements"),
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_signed_pdf],
        help_text=_("Jamais publié : seul le personnel habilité peut le télécharger."),
    )
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renouvelle l’accord"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
        help_text=_("L’accord précédent, dont celui-ci prend la suite."),
    )
    staff_notes = models.TextField(
        _("notes internes"), blank=True, help_text=_("Visibles du seul personnel, jamais publiées.")
    )

    objects: ClassVar[AgreementManager] = AgreementManager()

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("accord")
        verbose_name_plural = _("accords")
        ordering = ["title"]
        indexes = [
            # The admin's list, by title (French: the admin's language) or by period.
            models.Index(fields=["title_fr"], name="agreement_title_idx"),
            models.Index(fields=["first_academic_year"], name="agreement_first_year_idx"),
            # The status filter (expired, expiring, in force) and the dashboard's expiring ones:
            # signed agreements by the year they end.
            models.Index(
                fields=["last_academic_year"],
                condition=Q(is_draft=False, is_terminated=False),
                name="agreement_signed_end_idx",
            ),
        ]
        permissions = [
            ("export_agreement", _("Peut exporter les accords")),
            ("import_agreement", _("Peut importer les accords d’un partenaire (EWP)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_academic_year__isnull=True)
                | Q(last_academic_year__isnull=True)
                | Q(last_academic_year__gte=F("first_academic_year")),
                name="agreement_ends_no_earlier_than_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def starts_on(self) -> datetime.date | None:
        if self.first_academic_year is None:
            return None
        return datetime.date(self.first_academic_year, *ACADEMIC_YEAR_START)

    @property
    def ends_on(self) -> datetime.date | None:
        if self.last_academic_year is None:
            return None
        return datetime.date(self.last_academic_year + 1, *ACADEMIC_YEAR_END)

    @property
    def period_label(self) -> str:
        first, last = self.first_academic_year, self.last_academic_year
        if first is not None and last is not None:
            return f"{academic_year_label(first)} – {academic_year_label(last)}"
        if first is not None:
            return str(_("depuis %(year)s") % {"year": academic_year_label(first)})
        if last is not None:
            return str(_("jusqu’en %(year)s") % {"year": academic_year_label(last)})
        return ""

    def status(self, today: datetime.date | None = None) -> str:
        today = today or local_today()
        if self.is_terminated:
            return self.Status.TERMINATED
        if self.is_draft:
            return self.Status.DRAFT
        if self.starts_on and today < self.starts_on:
            return self.Status.UPCOMING
        if self.ends_on:
            if today > self.ends_on:
                return self.Status.EXPIRED
            warning = datetime.timedelta(days=settings.PORTAL_EXPIRY_WARNING_DAYS)
            if today + warning >= self.ends_on:
                return self.Status.EXPIRING
        return self.Status.IN_FORCE

    def get_status_display(self) -> str:
        return str(self.Status(self.status()).label)


class AgreementParty(NaturalKeyModel):
    NATURAL_KEY = ("agreement__slug", "institution__slug")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("accord"), on_delete=models.CASCADE, related_name="party_links"
    )
    institution = models.ForeignKey(
        "partnerships.Institution",
        verbose_name=_("établissement"),
        on_delete=models.PROTECT,
        related_name="agreement_links",
    )

    # Every create, change and delete, with who, when and the old and new values.
    audit_trail = HistoricalRecords()

    class Meta:
        verbose_name = _("signataire")
        verbose_name_plural = _("signataires")
        ordering = ["agreement", "institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "institution"], name="party_unique_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} — {self.agreement}"


class MobilityTerm(NaturalKeyModel):
    """What an agreement offers for one kind of mobility in one direction."""

    NATURAL_KEY = ("agreement__slug", "mobility_type", "direction")

    class MobilityType(models.TextChoices):
        STUDENT_STUDIES = "student_studies", _("études (étudiants)")
        STUDENT_TRAINEESHIP = "student_traineeship", _("stage (étudiants)")
        STAFF_TEACHING = "staff_teaching", _("mission d’enseignement (personnels)")
        STAFF_TRAINING = "staff_training", _("formation (personnels)")

    STUDENT_TYPES = (MobilityType.STUDENT_STUDIES, MobilityType.STUDENT_TRAINEESHIP)
    STAFF_TYPES = (MobilityType.STAFF_TEACHING, MobilityType.STAFF_TRAINING)

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("départ de l’IRTS Normandie-Caen")
        INCOMING = "incoming", _("accueil à l’IRTS Normandie-Caen")

    class CefrLevel(models.TextChoices):
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        B1 = "B1", "B1"
        B2 = "B2", "B2"
        C1 = "C1", "C1"
        C2 = "C2", "C2"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("accord"), on_delete=models.CASCADE, related_name="mobility_terms"
    )
    mobility_type = models.CharField(_("type de mobilité"), max_length=30, choices=MobilityType.choices)
    direction = models.CharField(_("sens"), max_length=10, choices=Direction.choices)
    places_per_year = models.PositiveSmallIntegerField(
        _("places par an"), null=True, blank=True, help_text=_("Laissez vide si l’accord ne le précise pas.")
    )
    duration_months = models.DecimalField(
        _("durée (mois)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Pour les étudiants : durée de chaque mobilité, en mois."),
    )
    duration_days = models.PositiveSmallIntegerField(
        _("durée (jours)"), null=True, blank=True, help_text=_("Pour les personnels : durée en jours.")
    )
    isced_code = models.CharField(
        _("code ISCED-F"), max_length=4, blank=True, validators=[isced_code_validator]
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("niveau CEC (EQF)"),
        null=True,
        blank=True,
        choices=EQF_LEVELS,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    language = models.CharField(_("langue recommandée"), max_length=10, blank=True, choices=iso_639_1_choices)
    cefr_level = models.CharField(_("niveau CECRL"), max_length=2, blank=True, choices=CefrLevel.choices)
    blended = models.BooleanField(
        _("mobilité hybride"),
        default=False,
        help_text=_("Pour les étudiants : une partie à distance et une partie sur place (« blended »)."),
    )

    # Every create, change and delete, with who, when and the old and new values.
    audit_trail = HistoricalRecords()

    class Meta:
        verbose_name = _("condition de mobilité")
        verbose_name_plural = _("conditions de mobilité")
        ordering = ["agreement", "mobility_type", "direction"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "mobility_type", "direction"], name="term_unique_type_direction"
            ),
            models.CheckConstraint(
                condition=Q(
                    mobility_type__in=["student_studies", "student_traineeship"], duration_days__isnull=True
                )
                | Q(mobility_type__in=["staff_teaching", "staff_training"], duration_months__isnull=True),
                name="term_duration_unit_matches_type",
            ),
            models.CheckConstraint(
                condition=Q(eqf_level__isnull=True) | Q(eqf_level__gte=1, eqf_level__lte=8),
                name="term_eqf_level_1_to_8",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_mobility_type_display()} — {self.get_direction_display()}"

    @property
    def is_for_students(self) -> bool:
        return self.mobility_type in self.STUDENT_TYPES
