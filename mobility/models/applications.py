import hashlib
from base64 import urlsafe_b64encode

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mobility.models.calls import Call, CallDestination, DocumentKind
from partnerships.models import MobilityTerm
from uploads.checks import extension_for
from uploads.storage import RandomUploadPath, private_storage


class Category(models.TextChoices):
    STUDENT = "student", _("étudiant ou étudiante")
    TRAINER = "trainer", _("formateur ou formatrice")
    FIELD_PROFESSIONAL = "field_professional", _("professionnel ou professionnelle de terrain")
    MANAGER = "manager", _("cadre")
    SERVICE_USER = "service_user", _("usager ou usagère")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("déposée")
    UNDER_REVIEW = "under_review", _("en cours d’examen")
    ACCEPTED = "accepted", _("acceptée")
    WAITLISTED = "waitlisted", _("sur liste d’attente")
    REJECTED = "rejected", _("refusée")
    DEPARTED = "departed", _("mobilité en cours")
    COMPLETED = "completed", _("mobilité terminée")
    WITHDRAWN = "withdrawn", _("retirée")


FINAL_STATUSES = frozenset({Status.REJECTED, Status.COMPLETED, Status.WITHDRAWN})

# The workflow: which status may follow which, as staff move applications. Withdrawal, by the
# applicant, is possible from any status that is not final. `services.transition_refusal`
# is the one judge of a move; this table is what it reads.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.UNDER_REVIEW}),
    Status.UNDER_REVIEW: frozenset({Status.ACCEPTED, Status.WAITLISTED, Status.REJECTED}),
    Status.WAITLISTED: frozenset({Status.ACCEPTED, Status.REJECTED}),
    Status.ACCEPTED: frozenset({Status.DEPARTED}),
    Status.DEPARTED: frozenset({Status.COMPLETED}),
    Status.REJECTED: frozenset(),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


def hash_token(token: str) -> str:
    """Follow-up tokens are looked up by their SHA-256: the database never holds a working link."""
    return hashlib.sha256(token.encode()).hexdigest()


def derive_token(token_salt: str, purpose: str = "mobility.follow-up-token") -> str:
    """The applicant's follow-up token: an HMAC of a random per-application salt (256 bits
    from `secrets`) under the site's secret key. The portal can write it again into each
    e-mail, while a copy of the database alone cannot rebuild it. Another `purpose` gives
    another link, which opens nothing the follow-up link opens."""
    digest = salted_hmac(purpose, token_salt, algorithm="sha256").digest()
    return urlsafe_b64encode(digest).rstrip(b"=").decode()


class Application(models.Model):
    reference = models.CharField(_("référence"), max_length=20, unique=True, editable=False)
    call = models.ForeignKey(
        Call, verbose_name=_("appel"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)

    given_names = models.CharField(_("prénom(s)"), max_length=150)
    family_name = models.CharField(_("nom de famille"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    category = models.CharField(_("vous êtes"), max_length=30, choices=Category.choices)
    programme = models.ForeignKey(
        "partnerships.Programme",
        verbose_name=_("formation suivie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    year_of_study = models.PositiveSmallIntegerField(_("année de formation"), null=True, blank=True)
    home_institution = models.CharField(
        _("établissement d’origine"),
        max_length=200,
        blank=True,
        help_text=_("Pour les personnes accueillies."),
    )
    mobility_type = models.CharField(
        _("type de mobilité"), max_length=30, choices=MobilityTerm.MobilityType.choices, blank=True
    )
    wished_start = models.DateField(_("début souhaité"))
    wished_end = models.DateField(_("fin souhaitée"))
    motivation = models.TextField(_("motivation"))
    consent_given_at = models.DateTimeField(_("consentement donné le"))
    # The language of the form the person filled in: every e-mail to them is written in it.
    language = models.CharField(
        _("langue de la candidature"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "Celle du formulaire rempli : les courriels à la personne candidate sont écrits dans cette langue."
        ),
    )

    token_salt = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The random key of the form that created this application: a second post of the
    # same form (double click, reload) finds this row instead of creating another.
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    # The hash of the link to write a testimonial, set when the mobility is completed (None before).
    testimonial_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    decided_at = models.DateTimeField(
        _("décision finale le"),
        null=True,
        blank=True,
        help_text=_("Point de départ de la durée de conservation."),
    )

    # Every change with who, when, old and new values; personal data included, so the
    # purge deletes these rows with the application. Secrets are never copied.
    audit_trail = HistoricalRecords(
        excluded_fields=["token_salt", "token_hash", "submission_key", "testimonial_token_hash"]
    )

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-submitted_at"]
        indexes = [
            # The admin's list: newest first (and its dates), filtered by status or by call; the
            # dashboard counts an open call's applications by status.
            models.Index(fields=["-submitted_at"], name="application_submitted_idx"),
            models.Index(fields=["status", "-submitted_at"], name="application_status_idx"),
            models.Index(fields=["call", "status"], name="application_call_status_idx"),
        ]
        permissions = [
            ("change_application_status", _("Peut changer le statut d’une candidature")),
            ("export_application", _("Peut exporter les candidatures")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(wished_end__gte=F("wished_start")), name="application_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in Status]), name="application_status_known"
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="application_language_known",
            ),
            # The review needs to know what a student studies; `applicant_check` says so first.
            models.CheckConstraint(
                condition=~Q(category=Category.STUDENT) | Q(programme__isnull=False),
                name="application_student_names_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.given_names} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    def follow_up_token(self) -> str:
        return derive_token(self.token_salt)

    def get_follow_up_url(self) -> str:
        return reverse("mobility:follow_up", kwargs={"token": self.follow_up_token()})

    def testimonial_token(self) -> str:
        return derive_token(self.token_salt, purpose="mobility.testimonial-token")

    def get_testimonial_url(self) -> str:
        return reverse("mobility:testimonial", kwargs={"token": self.testimonial_token()})

    @property
    def is_final(self) -> bool:
        """A decision is taken for good: nothing can change its status any more."""
        return self.status in FINAL_STATUSES


class ApplicationChoice(models.Model):
    """A ranked destination wish: 1 is the first choice."""

    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="choices"
    )
    rank = models.PositiveSmallIntegerField(_("rang"))
    destination = models.ForeignKey(
        CallDestination, verbose_name=_("destination"), on_delete=models.PROTECT, related_name="choices"
    )

    class Meta:
        verbose_name = _("vœu de destination")
        verbose_name_plural = _("vœux de destination")
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_unique_rank"),
            models.UniqueConstraint(fields=["application", "destination"], name="choice_unique_destination"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=3), name="choice_rank_1_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.destination}"


class ApplicationLanguage(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="languages"
    )
    language = models.CharField(_("langue"), max_length=10, choices=settings.PORTAL_MOBILITY_LANGUAGES)
    level = models.CharField(_("niveau (CECRL)"), max_length=2, choices=MobilityTerm.CefrLevel.choices)

    class Meta:
        verbose_name = _("langue")
        verbose_name_plural = _("langues")
        ordering = ["application", "language"]
        constraints = [
            models.UniqueConstraint(fields=["application", "language"], name="application_language_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} {self.level}"


class ApplicationDocument(models.Model):
    """An uploaded document, stored under a random name, with the extension of its detected
    type, on the private storage; `content_type` is the type its content was found to be."""

    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("pièce"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("fichier"), storage=private_storage, upload_to=RandomUploadPath("applications"))
    original_name = models.CharField(_("nom du fichier envoyé"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["application", "kind"]
        permissions = [("download_applicationdocument", _("Peut télécharger les pièces des candidatures"))]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="application_document_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    @property
    def download_name(self) -> str:
        """The name staff download it under, all of it ours: its kind, the application's
        reference and the extension of the type found on upload, e.g. `cv-MOB-2026-00012.pdf`.
        The applicant's own file name, shown to staff, never names the download."""
        kind = self.kind.replace("_", "-")
        return f"{kind}-{self.application.reference}{extension_for(self.content_type)}"


class StatusChange(models.Model):
    """One step of an application's history: who moved it from which status to which, and why."""

    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(_("ancien statut"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("nouveau statut"), max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_applicant = models.BooleanField(_("par la personne candidate"), default=False)
    changed_at = models.DateTimeField(_("le"), auto_now_add=True)
    comment = models.TextField(_("commentaire"), blank=True)
    visible_to_applicant = models.BooleanField(
        _("commentaire visible par la personne candidate"), default=False
    )

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("historique des statuts")
        ordering = ["application", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.from_status or '—'} → {self.to_status}"

    @property
    def actor_label(self) -> str:
        if self.by_applicant:
            return str(_("la personne candidate"))
        if self.changed_by:
            return self.changed_by.get_full_name() or self.changed_by.get_username()
        return str(_("le portail"))
