from typing import Any, ClassVar

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.models.english_slugs import EnglishSlugModel
from partnerships.models.natural_keys import NaturalKeyModel


class Network(EnglishSlugModel, NaturalKeyModel):
    """A partnership programme: the France–Québec network, ERASMUS+…"""

    NATURAL_KEY = ("slug",)

    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=60, blank=True)
    slug = models.SlugField(_("identifiant d’URL"), max_length=100, unique=True)
    summary = models.TextField(_("résumé"), help_text=_("Deux ou trois phrases, affichées dans les listes."))
    introduction = models.TextField(_("introduction"), blank=True)
    history = models.TextField(_("historique"), blank=True, help_text=_("Un paragraphe par ligne vide."))
    start_year = models.PositiveSmallIntegerField(_("année de création"), null=True, blank=True)
    general_objective = models.TextField(_("objectif général"), blank=True)
    objectives_introduction = models.TextField(
        _("introduction des objectifs"), blank=True, help_text=_("La phrase qui annonce les objectifs.")
    )
    closing_text = models.TextField(_("conclusion"), blank=True)
    members = models.ManyToManyField(
        "partnerships.Institution",
        through="partnerships.NetworkMembership",
        related_name="networks",
        verbose_name=_("membres"),
    )
    position = models.PositiveSmallIntegerField(_("ordre d’affichage"), default=0)

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:network", kwargs={"slug": self.url_slug})

    @property
    def history_paragraphs(self) -> list[str]:
        return [part.strip() for part in self.history.split("\n\n") if part.strip()]


class NetworkMembership(NaturalKeyModel):
    NATURAL_KEY = ("network__slug", "institution__slug")

    class Role(models.TextChoices):
        FOUNDER = "founder", _("membre fondateur")
        OFFICIAL_PARTNER = "official_partner", _("partenaire officiel")
        ACADEMIC_PARTNER = "academic_partner", _("partenaire universitaire")
        FIELD_PARTNER = "field_partner", _("partenaire de terrain")
        MEMBER = "member", _("membre")

    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        "partnerships.Institution",
        verbose_name=_("établissement"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rôle"), max_length=30, choices=Role.choices, default=Role.MEMBER)
    joined_year = models.PositiveSmallIntegerField(_("année d’adhésion"), null=True, blank=True)
    note = models.CharField(_("précision"), max_length=255, blank=True)

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("membre du réseau")
        verbose_name_plural = _("membres du réseau")
        ordering = ["network", "institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "institution"], name="membership_unique_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} — {self.network}"


class NetworkObjective(NaturalKeyModel):
    NATURAL_KEY = ("network__slug", "position")

    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="objectives"
    )
    position = models.PositiveSmallIntegerField(_("ordre"))
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte"))

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["network", "position"]
        constraints = [
            models.UniqueConstraint(fields=["network", "position"], name="objective_unique_position"),
        ]

    def __str__(self) -> str:
        return self.title


class FundingPeriod(NaturalKeyModel):
    NATURAL_KEY = ("network__slug", "funder", "first_year")

    network = models.ForeignKey(
        Network, verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="funding_periods"
    )
    funder = models.CharField(_("financeur"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("première année"))
    last_year = models.PositiveSmallIntegerField(_("dernière année"))
    label = models.CharField(
        _("désignation"), max_length=100, blank=True, help_text=_("Par exemple « biennum ».")
    )

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("période de financement")
        verbose_name_plural = _("périodes de financement")
        ordering = ["network", "first_year", "last_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="funding_ends_after_it_starts"
            ),
            models.UniqueConstraint(fields=["network", "funder", "first_year"], name="funding_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.funder} {self.first_year}–{self.last_year}"
