from typing import TYPE_CHECKING, Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

if TYPE_CHECKING:
    from partnerships.models.agreements import Agreement

from partnerships.images import validate_logo
from partnerships.models.english_slugs import EnglishSlugModel
from partnerships.models.natural_keys import NaturalKeyManager, NaturalKeyModel
from partnerships.text import search_normalize

erasmus_code_validator = RegexValidator(
    r"^[A-Z]{1,3} [A-Z][A-Z-]{0,7}[0-9]{2,3}$",
    _(
        "Code Erasmus invalide : une à trois lettres du pays, une espace, la ville en majuscules "
        "et deux ou trois chiffres, par exemple « I PARMA01 » ou « B BRUXEL04 »."
    ),
)
schac_code_validator = RegexValidator(
    r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _(
        "Saisissez le nom de domaine de l’établissement, en minuscules, sans « www. » ni « https:// » : ulaval.ca."
    ),
)

# Destinations that are a region of a country and have a flag of their own
# (django-countries ships only the countries' flags).
REGION_FLAGS = {("CA", "Québec"): "img/flags/quebec.svg"}
# The countries' flags that django-countries ships among its static files.
COUNTRY_FLAG_PATH = "flags/{code}.gif"


class Destination(EnglishSlugModel, NaturalKeyModel):
    """A country, or a region shown as a destination of its own (Québec), with an introduction."""

    NATURAL_KEY = ("slug",)

    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("identifiant d’URL"), max_length=100, unique=True)
    country = CountryField(_("pays"))
    region = models.CharField(
        _("région ou province"),
        max_length=100,
        blank=True,
        help_text=_(
            "Laissez vide pour tout le pays. Renseignée (par exemple « Québec »), la destination "
            "regroupe les établissements du pays situés dans cette région."
        ),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    network = models.ForeignKey(
        "partnerships.Network",
        verbose_name=_("réseau ou programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="destinations",
    )
    position = models.PositiveSmallIntegerField(_("ordre d’affichage"), default=0)

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "region"], name="destination_unique_country_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:destination", kwargs={"slug": self.url_slug})

    @property
    def label(self) -> str:
        """The name shown to visitors: a whole country is named in the visitor's language
        (django-countries); a region keeps the name staff gave it."""
        return self.name if self.region else str(self.country.name)

    @property
    def flag_path(self) -> str:
        """The flag among the static files, for `{% static %}`: the storage then names it by its
        content (a hash) so that it can be cached for good, which `Country.flag` does not."""
        own_flag = REGION_FLAGS.get((self.country.code, self.region))
        return own_flag or COUNTRY_FLAG_PATH.format(code=self.country.code.lower())

    def covers(self, institution: "Institution", regional: set[tuple[str, str]]) -> bool:
        """Whether the institution belongs here; `regional` lists the (country, region) that have
        a destination of their own and so leave their country's destination."""
        if institution.country.code != self.country.code:
            return False
        if self.region:
            return institution.region == self.region
        return (institution.country.code, institution.region) not in regional


class InstitutionQuerySet(models.QuerySet):
    def public_partners(self):
        return self.filter(is_public=True, is_own=False)

    def in_reading_order(self):
        """Alphabetical order as a reader expects it, whatever the case and accents ("de la Montérégie"
        before "de Montréal"), worked out by the database: `search_text` begins with the French name."""
        return self.order_by("search_text", "pk")

    def matching(self, text: str):
        """Case- and accent-insensitive search on names, places and current identity."""
        words = search_normalize(text).split()
        queryset = self
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        return queryset


InstitutionManager = NaturalKeyManager.from_queryset(InstitutionQuerySet)


class Institution(EnglishSlugModel, NaturalKeyModel):
    """A school, university or organisation: a partner, or IRTS Normandie-Caen itself."""

    NATURAL_KEY = ("slug",)

    class Kind(models.TextChoices):
        SOCIAL_WORK_INSTITUTE = "social_work_institute", _("institut de formation en travail social")
        UNIVERSITY = "university", _("université")
        HAUTE_ECOLE = "haute_ecole", _("haute école")
        CHILD_PROTECTION = "child_protection", _("organisme de protection de l’enfance")
        OTHER = "other", _("autre")

    name = models.CharField(
        _("nom"), max_length=200, help_text=_("Le nom sous lequel l’établissement se présente.")
    )
    short_name = models.CharField(_("nom court"), max_length=60, blank=True)
    slug = models.SlugField(_("identifiant d’URL"), max_length=100, unique=True)
    kind = models.CharField(_("type d’établissement"), max_length=30, choices=Kind.choices)
    country = CountryField(_("pays"))
    region = models.CharField(
        _("région ou province"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple « Québec » pour une province du Canada, « Bretagne » en France."),
    )
    city = models.CharField(_("ville ou territoire"), max_length=100, blank=True)
    # Where the partners' map puts the marker: the city's centre, or a territory's main town.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_(
            "En degrés décimaux, par exemple 49.1829 pour Caen ; laissez vide pour ne pas figurer sur la carte."
        ),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("En degrés décimaux, négative à l’ouest de Greenwich : -0.3707 pour Caen."),
    )
    website = models.URLField(_("site web"), blank=True)
    schac_code = models.CharField(
        _("code SCHAC"),
        max_length=253,
        blank=True,
        validators=[schac_code_validator],
        help_text=_("Le domaine internet de l’établissement, qui l’identifie dans Erasmus Without Paper."),
    )
    erasmus_code = models.CharField(
        _("code Erasmus"),
        max_length=20,
        blank=True,
        validators=[erasmus_code_validator],
        help_text=_("Le code Erasmus+ de l’établissement, par exemple « I PARMA01 »."),
    )
    current_identity = models.CharField(
        _("identité actuelle"),
        max_length=255,
        blank=True,
        help_text=_("Le nom ou le rattachement actuel, quand il diffère du nom affiché."),
    )
    current_identity_confirmed = models.BooleanField(
        _("identité actuelle confirmée"),
        default=False,
        help_text=_(
            "Décochez si l’identité actuelle n’est que probable : elle sera affichée « à confirmer »."
        ),
    )
    description = models.TextField(_("présentation courte"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
        validators=[validate_logo],
        help_text=_(
            "PNG, JPEG ou WebP, 1 Mo au plus. Les métadonnées de l’image sont supprimées, et elle est "
            "réduite à 480 pixels de côté au plus."
        ),
    )
    logo_width = models.PositiveIntegerField(editable=False, null=True)
    logo_height = models.PositiveIntegerField(editable=False, null=True)
    is_public = models.BooleanField(
        _("publié"), default=True, help_text=_("Décochez pour masquer l’établissement du site public.")
    )
    is_own = models.BooleanField(
        _("notre établissement"),
        default=False,
        help_text=_("Cochez pour l’IRTS Normandie-Caen lui-même ; un seul établissement peut l’être."),
    )
    search_text = models.TextField(editable=False, blank=True)

    # Not columns: set on the instances that the public pages' selectors load (a prefetch's
    # `to_attr`, and what those agreements cover).
    agreements_in_force: list["Agreement"]
    coverage: Any

    objects: ClassVar[InstitutionManager] = InstitutionManager()

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("établissement")
        verbose_name_plural = _("établissements")
        ordering = ["name"]
        indexes = [
            # The admin's list, by name (French: the admin's language), filtered by country; the
            # public destination pages read a country's institutions.
            models.Index(fields=["name_fr"], name="institution_name_idx"),
            models.Index(fields=["country", "region"], name="institution_place_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["is_own"], condition=models.Q(is_own=True), name="institution_single_own"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(
                        latitude__isnull=False,
                        longitude__isnull=False,
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
                name="institution_position_whole_and_on_earth",
            ),
            models.UniqueConstraint(
                fields=["erasmus_code"],
                condition=~models.Q(erasmus_code=""),
                name="institution_unique_erasmus_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:institution", kwargs={"slug": self.url_slug})

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        country = self.country
        # The French name first: the public lists are sorted by this text (`in_reading_order`).
        parts = [
            # Both languages of each text, so that "Parme" and "Parma" both find the university.
            *(
                getattr(self, f"{field}_{language}", "")
                for field in TRANSLATED_SEARCH_FIELDS
                for language in ("fr", "en")
            ),
            self.region,
            # Both languages, so that "Allemagne" and "Germany" both find Würzburg.
            *(_country_names(country.code) if country else []),
        ]
        return search_normalize(" ".join(part for part in parts if part))


TRANSLATED_SEARCH_FIELDS = ("name", "short_name", "city", "current_identity")


def _country_names(code: str) -> list[str]:
    from django.utils import translation
    from django_countries import countries

    names = []
    for language in ("fr", "en"):
        with translation.override(language):
            names.append(str(countries.name(code)))
    return names
