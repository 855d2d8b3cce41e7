"""Reads of the partners index: the search, how many partners each filter option gives, and the results.

Both run a fixed number of queries whatever the number of partners, and the database does the
counting and the sorting: the page then handles only the partners it shows. The counts say how
many partners each option gives, so that an option never leads to an empty page.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, Destination, Institution, MobilityTerm, Programme
from partnerships.selectors import (
    PARTNERS_PER_PAGE,
    CountedPaginator,
    DestinationGroup,
    StillUnknown,
    covered_by_agreements_in_force,
    destination_position,
    destination_q,
    regional_keys,
    still_unknown,
    with_coverage,
    with_coverage_loaded,
)


@dataclass
class PartnerSearch:
    text: str = ""
    destination: Destination | None = None
    kind: str = ""
    programme: Programme | None = None
    mobility_type: str = ""

    @property
    def is_active(self) -> bool:
        return bool(self.text or self.destination or self.kind or self.programme or self.mobility_type)

    @property
    def has_filters(self) -> bool:
        """A filter other than the typed text is applied."""
        return bool(self.destination or self.kind or self.programme or self.mobility_type)


@dataclass
class PartnerDirectory:
    """One page of the partners matching a search, grouped by destination, and the totals."""

    page: Page
    # The groups with a partner on this page; without a search, also the destinations that have no
    # named partner (Portugal), at their place in the list.
    groups: list[DestinationGroup]
    confirmed_count: int
    # With a programme filter: the partners whose agreements do not say which programmes they
    # cover, listed after the others (those of this page, and how many in all).
    to_confirm: list[Institution] = field(default_factory=list)
    to_confirm_count: int = 0
    still_unknown: StillUnknown = field(default_factory=StillUnknown)

    @property
    def count(self) -> int:
        return self.confirmed_count + self.to_confirm_count


def _search_filters(search: PartnerSearch, regional: set[tuple[str, str]]) -> dict[str, Q]:
    """Each filter of the search as a condition on institutions, by the name of its facet.

    The programme filter keeps the partners whose coverage is not known as well: the list sets
    them apart, and the other filters' counts include them.
    """
    filters: dict[str, Q] = {}
    if search.destination:
        filters["destination"] = destination_q(search.destination, regional)
    if search.kind:
        filters["kind"] = Q(kind=search.kind)
    if search.programme:
        filters["programme"] = _may_cover_programme(search.programme)
    if search.mobility_type:
        filters["mobility"] = Q(
            pk__in=covered_by_agreements_in_force(mobility_terms__mobility_type=search.mobility_type)
        )
    return filters


def _covers_programme(programme: Programme) -> Q:
    return Q(pk__in=covered_by_agreements_in_force(programmes=programme))


def _may_cover_programme(programme: Programme) -> Q:
    """Known to cover the programme, or not known not to: an agreement in force covers it or lists
    no programme (`Coverage.programmes_unknown`), or no agreement is in force."""
    return Q(
        pk__in=covered_by_agreements_in_force(Q(programmes=programme) | Q(programmes__isnull=True))
    ) | ~Q(pk__in=covered_by_agreements_in_force())


def _matching_text(search: PartnerSearch) -> QuerySet[Institution]:
    partners = Institution.objects.public_partners()
    return partners.matching(search.text) if search.text else partners


def matching_partners(search: PartnerSearch, all_destinations: list[Destination]) -> QuerySet[Institution]:
    """Every public partner that the search and its filters keep, as the partners page lists them."""
    return _matching_text(search).filter(*_search_filters(search, regional_keys(all_destinations)).values())


def partner_directory(
    search: PartnerSearch, all_destinations: list[Destination], page_number: str | None = None
) -> PartnerDirectory:
    """A page of the public partners matching the search, grouped by destination in the destinations'
    order, each group in reading order.

    A programme filter keeps the partners that are known to cover the programme, and lists after
    them those whose coverage is not known: they may cover it too, and hiding them would mislead.
    Six queries: the size of each group, the page's partners and the four things their cards show.
    """
    partners = matching_partners(search, all_destinations)
    group = destination_position(all_destinations)
    to_confirm_group = len(all_destinations) + 1
    if search.programme:
        group = Case(When(_covers_programme(search.programme), then=group), default=Value(to_confirm_group))
    partners = partners.annotate(group=group)
    sizes = dict(partners.order_by().values("group").annotate(size=Count("pk")).values_list("group", "size"))
    to_confirm_count = sizes.get(to_confirm_group, 0)
    confirmed_count = sum(sizes.values()) - to_confirm_count
    ordered = with_coverage(partners.order_by("group", "search_text", "pk"))
    paginator = CountedPaginator(ordered, PARTNERS_PER_PAGE, count=confirmed_count + to_confirm_count)
    page = paginator.get_page(page_number)
    page.object_list = with_coverage_loaded(page.object_list)

    # The list is the groups one after the other: where each starts tells which group each
    # partner of the page is in, and on which page a destination shown empty comes.
    starts: dict[int, int] = {}
    position = 0
    for index in range(to_confirm_group + 1):
        starts[index] = position
        position += sizes.get(index, 0)

    def group_of(position: int) -> int:
        return max(index for index, start in starts.items() if start <= position and sizes.get(index))

    first_of_page = (page.number - 1) * PARTNERS_PER_PAGE
    groups: dict[int, DestinationGroup] = {}

    def group_at(index: int) -> DestinationGroup:
        if index not in groups:
            destination = all_destinations[index] if index < len(all_destinations) else None
            groups[index] = DestinationGroup(
                destination, [], label=str(_("Autres pays")), continued=starts[index] < first_of_page
            )
        return groups[index]

    confirmed: list[Institution] = []
    to_confirm: list[Institution] = []
    for offset, institution in enumerate(page.object_list):
        index = group_of(first_of_page + offset)
        if index == to_confirm_group:
            to_confirm.append(institution)
        else:
            confirmed.append(institution)
            group_at(index).institutions.append(institution)
    if not search.is_active:
        # A destination with no named partner still shows (Portugal), where it comes in the list.
        last_of_page = first_of_page + PARTNERS_PER_PAGE
        for index in range(len(all_destinations)):
            start = starts[index]
            on_this_page = first_of_page <= start < last_of_page or (
                start >= paginator.count and not page.has_next()
            )
            if not sizes.get(index) and on_this_page:
                group_at(index)
    unknown = still_unknown(page.object_list)
    # The partners set apart by a programme filter have a heading that already says so.
    unknown.programmes = still_unknown(confirmed).programmes
    return PartnerDirectory(
        page=page,
        groups=[groups[index] for index in sorted(groups)],
        confirmed_count=confirmed_count,
        to_confirm=to_confirm,
        to_confirm_count=to_confirm_count,
        still_unknown=unknown,
    )


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass
class Facets:
    """For each filter, its options with the number of partners each gives, the other filters kept."""

    destination: list[FacetOption]
    kind: list[FacetOption]
    programme: list[FacetOption]
    mobility: list[FacetOption]


def _counted(condition: Q | None, field: str = "pk", distinct: bool = False) -> Count:
    return Count(field, filter=condition, distinct=distinct) if condition else Count(field, distinct=distinct)


def _all_but(filters: dict[str, Q], facet: str) -> Q | None:
    """The search's other filters than `facet`'s, together (None when there is none)."""
    others = [condition for name, condition in filters.items() if name != facet]
    return Q(*others) if others else None


def partner_facets(search: PartnerSearch, all_destinations: list[Destination]) -> Facets:
    """How many partners each option of each filter gives, with the text and the other filters kept.

    The programme filter's counts are of the partners known to cover the programme; for the other
    filters, a programme filter keeps the partners whose coverage is not known, as the list does.
    Three grouped counts, whatever the number of partners: by destination and kind together, by
    programme, by mobility type.
    """
    filters = _search_filters(search, regional_keys(all_destinations))
    partners = _matching_text(search).order_by()

    # The destination and kind counts share the other filters, applied once.
    by_destination: dict[int, int] = {}
    by_kind: dict[str, int] = {}
    for position, kind, for_destination, for_kind in (
        partners.filter(
            *[condition for name, condition in filters.items() if name not in ("destination", "kind")]
        )
        .annotate(position=destination_position(all_destinations))
        .values("position", "kind")
        .annotate(
            for_destination=_counted(filters.get("kind")), for_kind=_counted(filters.get("destination"))
        )
        .values_list("position", "kind", "for_destination", "for_kind")
    ):
        by_destination[position] = by_destination.get(position, 0) + for_destination
        by_kind[kind] = by_kind.get(kind, 0) + for_kind

    def partners_with(facet: str) -> Q | None:
        """The agreements' parties that the search gives, but for `facet`'s filter."""
        condition = _all_but(filters, facet)
        return Q(party_links__institution__in=partners.filter(condition)) if condition else None

    # From the agreements in force, whose conditions then apply to the rows read, not to a subquery.
    agreements_in_force = (
        Agreement.objects.in_force().filter(party_links__institution__in=partners).order_by()
    )
    programme_rows = (
        agreements_in_force.filter(programmes__isnull=False)
        .values("programmes__code", "programmes__name")
        .annotate(partners=_counted(partners_with("programme"), "party_links__institution", distinct=True))
        .values_list("programmes__code", "programmes__name", "partners")
    )
    mobility_counts = dict(
        agreements_in_force.filter(mobility_terms__isnull=False)
        .values("mobility_terms__mobility_type")
        .annotate(partners=_counted(partners_with("mobility"), "party_links__institution", distinct=True))
        .values_list("mobility_terms__mobility_type", "partners")
    )
    return Facets(
        destination=[
            FacetOption(d.slug, d.label, by_destination.get(position, 0))
            for position, d in enumerate(all_destinations)
        ],
        kind=[
            FacetOption(str(value), str(capfirst(label)), by_kind.get(value, 0))
            for value, label in Institution.Kind.choices
        ],
        programme=[FacetOption(code, name, count) for code, name, count in sorted(programme_rows)],
        mobility=[
            FacetOption(str(value), str(capfirst(label)), mobility_counts.get(value, 0))
            for value, label in MobilityTerm.MobilityType.choices
        ],
    )
