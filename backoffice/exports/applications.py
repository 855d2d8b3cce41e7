"""The applications' export: the header, then one row per application.

An export may hold every application of several years (tens of thousands): they are read as
plain values, `ROWS_PER_FETCH` at a time, each batch's choices in one more query. The calls,
programmes and institutions that the rows name are few; each is read once per export, the
first time a row names it, and shown as its model shows it (in the active language).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, NamedTuple, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from backoffice.exports.formats import ROWS_PER_FETCH, Cell, batches, local_moment
from mobility.models import Application, ApplicationChoice, Call
from mobility.models.applications import Category, Status
from partnerships.models import Institution, Programme

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

# What a row reads of the application itself.
FIELDS = (
    "pk",
    "reference",
    "family_name",
    "given_names",
    "email",
    "phone",
    "category",
    "programme_id",
    "call_id",
    "wished_start",
    "wished_end",
    "status",
    "submitted_at",
)

ModelT = TypeVar("ModelT", bound=Model)


class Labels(Generic[ModelT]):
    """The text of some rows of a small table, by id, each row read once."""

    def __init__(self, model: type[ModelT], text: Callable[[ModelT], str] = str) -> None:
        self.model = model
        self.text = text
        self.known: dict[Any, str] = {}

    def load(self, ids: Iterable[Any]) -> None:
        """Read, in one query, those of `ids` not read yet."""
        missing = {pk for pk in ids if pk is not None and pk not in self.known}
        if missing:
            objects = self.model._default_manager.in_bulk(missing)
            self.known.update((pk, self.text(obj)) for pk, obj in objects.items())

    def __getitem__(self, pk: Any) -> str:
        return self.known[pk] if pk is not None else ""


class Names(NamedTuple):
    calls: Labels[Call]
    programmes: Labels[Programme]
    institutions: Labels[Institution]
    categories: dict[str, str]
    statuses: dict[str, str]


def application_row(application: Any, choices: list[Any], names: Names) -> list[Cell]:
    """The row of `application` (a row of `FIELDS`), given the institutions of its choices by rank."""
    chosen = [names.institutions[institution] for institution in choices][:MAX_CHOICES]
    chosen += [""] * (MAX_CHOICES - len(chosen))
    return [
        application.reference,
        application.family_name,
        application.given_names,
        application.email,
        application.phone,
        names.categories.get(application.category, application.category),
        names.programmes[application.programme_id],
        names.calls[application.call_id],
        *chosen,
        application.wished_start,
        application.wished_end,
        names.statuses.get(application.status, application.status),
        local_moment(application.submitted_at),
    ]


def application_rows(queryset: QuerySet[Application]) -> Iterator[list[Cell]]:
    """The header row, then one row per application of the queryset, in its order."""
    yield [str(header) for header in HEADERS]
    names = Names(
        calls=Labels(Call, lambda call: call.title),
        programmes=Labels(Programme),
        institutions=Labels(Institution),
        # Translated once for the whole file, not once per row.
        categories={value: str(label) for value, label in Category.choices},
        statuses={value: str(label) for value, label in Status.choices},
    )
    applications = queryset.values_list(*FIELDS, named=True).iterator(chunk_size=ROWS_PER_FETCH)
    for batch in batches(applications, ROWS_PER_FETCH):
        choices = _choices_by_application([application.pk for application in batch])
        names.calls.load(application.call_id for application in batch)
        names.programmes.load(application.programme_id for application in batch)
        names.institutions.load(institution for chosen in choices.values() for institution in chosen)
        for application in batch:
            yield application_row(application, choices[application.pk], names)


def _choices_by_application(ids: list[int]) -> defaultdict[int, list[int]]:
    """The institutions that each of these applications chose, by rank, in one query."""
    choices: defaultdict[int, list[int]] = defaultdict(list)
    rows = (
        ApplicationChoice.objects.filter(application_id__in=ids)
        .order_by("application_id", "rank")
        .values_list("application_id", "destination__institution_id")
    )
    for application_id, institution_id in rows:
        choices[application_id].append(institution_id)
    return choices
