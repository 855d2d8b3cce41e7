"""What the networks do: joint training sessions, study days, publications, news."""

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.documents import validate_public_pdf
from partnerships.models.english_slugs import EnglishSlugModel
from uploads.storage import RandomUploadPath


class ActivityKind(models.TextChoices):
    JOINT_TRAINING = "joint_training", _("session de formation conjointe")
    STUDY_DAY = "study_day", _("journée d’étude")
    RESEARCH_PUBLICATION = "research_publication", _("publication de recherche")
    COMMUNICATION = "communication", _("support de communication")
    NEWS = "news", _("actualité")


# The kinds that take place somewhere on given days: they need a place (or to be online), and
# the upcoming ones go into the network's calendar.
EVENT_KINDS = (ActivityKind.JOINT_TRAINING, ActivityKind.STUDY_DAY)
EVENT_WITHOUT_PLACE = _("Un événement a lieu quelque part : indiquez un lieu, ou cochez « en ligne ».")


def upcoming_condition(today: datetime.date) -> Q:
    """Not over yet on `today`: its last day (its only day, without an end date) is today or later."""
    return Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today)


class ActivityQuerySet(models.QuerySet):
    def published(self) -> "ActivityQuerySet":
        return self.filter(is_published=True)

    def upcoming_events(self, today: datetime.date | None = None) -> "ActivityQuerySet":
        today = today or timezone.localdate()
        return self.filter(upcoming_condition(today), kind__in=EVENT_KINDS).order_by("start_date", "pk")

    def upcoming_first(self, today: datetime.date | None = None) -> "ActivityQuerySet":
        """What is still to come, soonest first, then the rest, latest first."""
        today = today or timezone.localdate()
        is_past = Case(When(upcoming_condition(today), then=Value(0)), default=Value(1))
        upcoming_start = Case(When(upcoming_condition(today), then=F("start_date")))
        return self.order_by(is_past, upcoming_start, "-start_date", "-pk")


class Activity(EnglishSlugModel):
    """A network's activity, shown on its public pages, its Atom feed and (events) its calendar."""

    network = models.ForeignKey(
        "partnerships.Network", verbose_name=_("réseau"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("type"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d’URL"), max_length=120, unique=True)
    start_date = models.DateField(
        _("date"), help_text=_("Le premier jour d’un événement, ou la date d’une publication.")
    )
    end_date = models.DateField(
        _("dernier jour"),
        null=True,
        blank=True,
        help_text=_("Seulement pour un événement de plusieurs jours."),
    )
    place = models.CharField(
        _("lieu"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « IRTS Normandie-Caen, Hérouville-Saint-Clair »."),
    )
    is_online = models.BooleanField(_("en ligne"), default=False)
    online_url = models.URLField(
        _("adresse en ligne"), blank=True, help_text=_("Le lien de la visioconférence ou de l’inscription.")
    )
    text = models.TextField(_("texte"), help_text=_("Un paragraphe par ligne vide."))
    document = models.FileField(
        _("document (PDF)"),
        upload_to=RandomUploadPath("activities"),
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_public_pdf],
        help_text=_("Public : tout visiteur peut le télécharger. 10 Mo au plus."),
    )
    document_size = models.PositiveIntegerField(editable=False, null=True)
    institutions = models.ManyToManyField(
        "partnerships.Institution",
        verbose_name=_("établissements partenaires"),
        related_name="activities",
        blank=True,
    )
    is_published = models.BooleanField(_("publié"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["network", "is_published", "start_date"], name="activity_listing")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_ends_after_it_starts",
                violation_error_message=_("Le dernier jour ne peut pas précéder le premier."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=EVENT_KINDS) | Q(is_online=True) | ~Q(place=""),
                name="activity_event_has_a_place_or_is_online",
                violation_error_message=EVENT_WITHOUT_PLACE,
            ),
            models.CheckConstraint(
                condition=Q(online_url="") | Q(is_online=True),
                name="activity_online_url_only_when_online",
                violation_error_message=_(
                    "Une adresse en ligne suppose une activité en ligne : cochez « en ligne »."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Django checks a constraint only when the form edits every field it names: the admin
        # edits `place_fr` and `place_en`, not `place`, so this one is checked here as well.
        if self.kind in EVENT_KINDS and not self.is_online and not self.place:
            raise ValidationError(EVENT_WITHOUT_PLACE)

    def save(self, *args, **kwargs):
        # The size shown beside the link, read once here rather than from the storage on each page.
        self.document_size = self.document.size if self.document else None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "activities:detail", kwargs={"network_slug": self.network.url_slug, "slug": self.url_slug}
        )

    def get_document_url(self) -> str:
        return reverse(
            "activities:document", kwargs={"network_slug": self.network.url_slug, "slug": self.url_slug}
        )

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def last_date(self) -> datetime.date:
        return self.end_date or self.start_date

    @property
    def spans_several_days(self) -> bool:
        return self.end_date is not None and self.end_date > self.start_date

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.text.split("\n\n") if part.strip()]
