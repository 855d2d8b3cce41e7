"""The applications' export: the header, then one row per application."""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from backoffice.exports.formats import Cell, local_moment
from mobility.models import Application, ApplicationChoice

MAX_CHOICES = 3

HEADERS = [
    _("Référence"),
    _("Nom"),
    _("Prénom(s)"),
    _("Courriel"),
    _("Téléphone"),
    _("Catégorie"),
    _("Formation"),
    _("Appel"),
    _("Choix 1"),
    _("Choix 2"),
    _("Choix 3"),
    _("Début souhaité"),
    _("Fin souhaitée"),
    _("Statut"),
    _("Déposée le"),
]


def export_queryset(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """The queryset with what the rows read, in a fixed number of queries."""
    choices = ApplicationChoice.objects.select_related("destination__institution").order_by("rank")
    return queryset.select_related("call", "programme").prefetch_related(
        Prefetch("choices", queryset=choices)
    )


def application_row(application: Application) -> list[Cell]:
    choices = [str(choice.destination.institution) for choice in application.choices.all()][:MAX_CHOICES]
    choices += [""] * (MAX_CHOICES - len(choices))
    return [
        application.reference,
        application.family_name,
        application.given_names,
        application.email,
        application.phone,
        str(application.get_category_display()),
        str(application.programme) if application.programme else "",
        application.call.title,
        *choices,
        application.wished_start,
        application.wished_end,
        str(application.get_status_display()),
        local_moment(application.submitted_at),
    ]


def application_rows(queryset: QuerySet[Application]) -> Iterator[list[Cell]]:
    """The header row, then one row per application of the queryset, in its order."""
    yield [str(header) for header in HEADERS]
    for application in export_queryset(queryset):
        yield application_row(application)
