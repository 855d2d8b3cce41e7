"""Reads of the partners index: the search, how many partners each filter option gives, and the results.

Both run a fixed number of queries whatever the number of partners. The counts are worked out in
Python from three light queries (the partners matching the text, and which programmes and mobility
types their agreements in force cover), so that an option never leads to an empty page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, AgreementParty, Destination, Institution, MobilityTerm, Programme
from partnerships.selectors import (
    DestinationGroup,
    StillUnknown,
    covered_by_agreements_in_force,
    in_destination,
    regional_keys,
    still_unknown,
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
    groups: list[DestinationGroup]
    # With a programme filter: the partners whose agreements do not say which programmes they cover.
    to_confirm: list[Institution] = field(default_factory=list)
    still_unknown: StillUnknown = field(default_factory=StillUnknown)

    @property
    def confirmed_count(self) -> int:
        return sum(len(group.institutions) for group in self.groups)

    @property
    def count(self) -> int:
        return self.confirmed_count + len(self.to_confirm)


def partner_directory(search: PartnerSearch, all_destinations: list[Destination]) -> PartnerDirectory:
    """Public partners matching the search, grouped by destination in the destinations' order.

    A programme filter keeps the partners that are known to cover the programme, and lists apart
    those whose coverage is not known: they may cover it too, and hiding them would mislead.
    """
    regional = regional_keys(all_destinations)
    institutions = Institution.objects.public_partners()
    if search.text:
        institutions = institutions.matching(search.text)
    if search.destination:
        institutions = in_destination(institutions, search.destination, regional)
    if search.kind:
        institutions = institutions.filter(kind=search.kind)
    if search.mobility_type:
        institutions = institutions.filter(
            pk__in=covered_by_agreements_in_force(mobility_terms__mobility_type=search.mobility_type)
        )
    found = with_coverage_loaded(institutions)
    to_confirm: list[Institution] = []
    if search.programme:
        code = search.programme.code
        to_confirm = [
            i for i in found if code not in i.coverage.programme_codes and i.coverage.programmes_unknown
        ]
        found = [i for i in found if code in i.coverage.programme_codes]

    groups = []
    placed: set[int] = set()
    for destination in all_destinations:
        members = [i for i in found if i.pk not in placed and destination.covers(i, regional)]
        placed.update(i.pk for i in members)
        # Without a search, a destination with no named partner still shows (Portugal).
        if members or not search.is_active:
            groups.append(DestinationGroup(destination, members))
    elsewhere = [i for i in found if i.pk not in placed]
    if elsewhere:
        groups.append(DestinationGroup(None, elsewhere, label=str(_("Autres pays"))))
    unknown = still_unknown(found + to_confirm)
    # The partners set apart by a programme filter have a heading that already says so.
    unknown.programmes = still_unknown(found).programmes
    return PartnerDirectory(groups=groups, to_confirm=to_confirm, still_unknown=unknown)


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


@dataclass
class _PartnerFacts:
    institution: Institution
    programmes: set[str] = field(default_factory=set)
    mobility_types: set[str] = field(default_factory=set)
    # Whether each agreement in force lists its programmes, by agreement.
    agreements_list_programmes: dict[int, bool] = field(default_factory=dict)

    @property
    def programmes_unknown(self) -> bool:
        """As `Coverage.programmes_unknown`: no agreement in force, or one that lists no programme."""
        listed = self.agreements_list_programmes
        return not listed or not all(listed.values())


def _partner_facts(search: PartnerSearch) -> tuple[list[_PartnerFacts], dict[str, str]]:
    """The public partners matching the text, with what their agreements in force cover, and the
    names of the programmes covered, by code: three queries whatever the number of partners."""
    partners = Institution.objects.public_partners()
    if search.text:
        partners = partners.matching(search.text)
    facts = {i.pk: _PartnerFacts(i) for i in partners.only("pk", "name", "country", "region", "kind")}
    parties_in_force = AgreementParty.objects.filter(agreement__in=Agreement.objects.in_force()).order_by()
    programme_names: dict[str, str] = {}
    for institution_id, agreement_id, code, name in parties_in_force.values_list(
        "institution_id", "agreement_id", "agreement__programmes__code", "agreement__programmes__name"
    ):
        partner = facts.get(institution_id)
        if partner is None:
            continue
        lists_programmes = partner.agreements_list_programmes.get(agreement_id, False)
        partner.agreements_list_programmes[agreement_id] = lists_programmes or code is not None
        if code is not None:
            partner.programmes.add(code)
            programme_names[code] = name
    for institution_id, mobility_type in parties_in_force.filter(
        agreement__mobility_terms__isnull=False
    ).values_list("institution_id", "agreement__mobility_terms__mobility_type"):
        if institution_id in facts:
            facts[institution_id].mobility_types.add(mobility_type)
    return list(facts.values()), programme_names


def partner_facets(search: PartnerSearch, all_destinations: list[Destination]) -> Facets:
    """How many partners each option of each filter gives, with the text and the other filters kept.

    The programme filter's counts are of the partners known to cover the programme; for the other
    filters, a programme filter keeps the partners whose coverage is not known, as the list does.
    """
    regional = regional_keys(all_destinations)
    partners, programme_names = _partner_facts(search)
    tests: dict[str, Callable[[_PartnerFacts], bool]] = {}
    if search.destination:
        destination = search.destination
        tests["destination"] = lambda p: destination.covers(p.institution, regional)
    if search.kind:
        tests["kind"] = lambda p: p.institution.kind == search.kind
    if search.programme:
        code = search.programme.code
        tests["programme"] = lambda p: code in p.programmes or p.programmes_unknown
    if search.mobility_type:
        tests["mobility"] = lambda p: search.mobility_type in p.mobility_types

    def others_than(facet: str) -> list[_PartnerFacts]:
        return [p for p in partners if all(test(p) for name, test in tests.items() if name != facet)]

    def options(
        facet: str, choices: list[tuple[str, str]], gives: Callable[[_PartnerFacts, str], bool]
    ) -> list[FacetOption]:
        kept = others_than(facet)
        return [
            FacetOption(value, label, sum(1 for p in kept if gives(p, value))) for value, label in choices
        ]

    by_slug = {d.slug: d for d in all_destinations}
    return Facets(
        destination=options(
            "destination",
            [(d.slug, d.label) for d in all_destinations],
            lambda p, slug: by_slug[slug].covers(p.institution, regional),
        ),
        kind=options(
            "kind",
            [(str(value), str(capfirst(label))) for value, label in Institution.Kind.choices],
            lambda p, kind: p.institution.kind == kind,
        ),
        programme=options(
            "programme",
            sorted(programme_names.items()),
            lambda p, code: code in p.programmes,
        ),
        mobility=options(
            "mobility",
            [(str(value), str(capfirst(label))) for value, label in MobilityTerm.MobilityType.choices],
            lambda p, mobility_type: mobility_type in p.mobility_types,
        ),
    )
