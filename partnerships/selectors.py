"""Reads of the public partner pages: a fixed number of queries whatever the number of rows.

A page's object that does not exist (or is not public) is an Http404, as in `mobility.selectors`:
the views never tell a missing object from a hidden one. Lists that grow with the catalogue come a
page at a time (`django.core.paginator.Page`), ordered by the database, so that a page costs the
same whether the catalogue holds twenty partners or ten thousand.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from partnerships.maps.frames import VIEWS
from partnerships.maps.markers import PartnerMap, partner_map
from partnerships.models import (
    Agreement,
    AgreementParty,
    Destination,
    Institution,
    MobilityTerm,
    Network,
    NetworkMembership,
    Programme,
)
from partnerships.models.english_slugs import slug_matches
from partnerships.models.institutions import InstitutionQuerySet
from partnerships.text import search_normalize

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How many rows a page of each list shows: enough to scan, few enough for a phone.
PARTNERS_PER_PAGE = 50
AGREEMENTS_PER_PAGE = 20
MEMBERS_PER_PAGE = 100
NETWORK_AGREEMENTS_PER_PAGE = 50

# How the members of a network are grouped on its page, within each side.
KIND_GROUP_LABELS: dict[str, "StrOrPromise"] = {
    Institution.Kind.SOCIAL_WORK_INSTITUTE: _("Instituts régionaux du travail social"),
    Institution.Kind.UNIVERSITY: _("Universités"),
    Institution.Kind.HAUTE_ECOLE: _("Hautes écoles"),
    Institution.Kind.CHILD_PROTECTION: _("Centres jeunesse et protection de l’enfance"),
    Institution.Kind.OTHER: _("Autres partenaires"),
}


@dataclass
class Coverage:
    """What an institution's agreements in force cover, for the lists: only what is known."""

    programmes: list[Programme] = field(default_factory=list)
    mobility_types: list[str] = field(default_factory=list)
    agreement_count: int = 0
    agreement_kinds: list[str] = field(default_factory=list)
    # No agreement in force, or one that does not list its programmes: any programme may be covered.
    programmes_unknown: bool = True

    @property
    def programme_codes(self) -> set[str]:
        return {programme.code for programme in self.programmes}


@dataclass
class DestinationGroup:
    destination: Destination | None
    institutions: list[Institution]
    label: str = ""
    # The group began on an earlier page of the list.
    continued: bool = False

    @property
    def title(self) -> str:
        return self.destination.label if self.destination else self.label


@dataclass
class StillUnknown:
    """What the cards of a list leave out because it is not known yet: the page says it once, in a sentence."""

    programmes: bool = False
    mobility_types: bool = False

    def __bool__(self) -> bool:
        return self.programmes or self.mobility_types


def still_unknown(institutions: Iterable[Institution]) -> StillUnknown:
    institutions = list(institutions)
    return StillUnknown(
        programmes=any(not i.coverage.programmes for i in institutions),
        mobility_types=any(not i.coverage.mobility_types for i in institutions),
    )


def with_parties(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """The queryset with its parties' institutions, in one more query whatever its length."""
    parties = AgreementParty.objects.select_related("institution").order_by("institution__name")
    return queryset.prefetch_related(Prefetch("party_links", queryset=parties))


def party_names(agreement: Agreement) -> str:
    """The parties' names, in alphabetical order (read from `with_parties`' prefetch)."""
    return ", ".join(party.institution.name for party in agreement.party_links.all())


def agreements_in_force() -> QuerySet[Agreement]:
    return (
        Agreement.objects.in_force()
        .select_related("network")
        .prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.order_by("code")),
            "mobility_terms",
        )
    )


def memberships_in_order() -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.select_related("network").order_by("network__position")


def with_coverage(institutions: QuerySet[Institution]) -> QuerySet[Institution]:
    return institutions.prefetch_related(
        # The attribute is declared on Institution, for the functions that read it.
        Prefetch(
            "agreements",
            queryset=agreements_in_force(),
            to_attr="agreements_in_force",  # type: ignore[no-redef]
        ),
        # A partner's role in a network says what it does when no agreement is published (Laval).
        Prefetch("memberships", queryset=memberships_in_order()),
    )


def coverage_of(institution: Institution) -> Coverage:
    programmes: dict[str, Programme] = {}
    mobility_types: dict[str, str] = {}
    kinds: dict[str, str] = {}
    programmes_unknown = not institution.agreements_in_force
    for agreement in institution.agreements_in_force:
        kinds[agreement.kind] = agreement.get_kind_display()
        agreement_programmes = agreement.programmes.all()
        programmes_unknown = programmes_unknown or not agreement_programmes
        for programme in agreement_programmes:
            programmes[programme.code] = programme
        for term in agreement.mobility_terms.all():
            mobility_types[term.mobility_type] = term.get_mobility_type_display()
    order = [choice.value for choice in MobilityTerm.MobilityType]
    return Coverage(
        programmes=sorted(programmes.values(), key=lambda programme: programme.code),
        mobility_types=[mobility_types[value] for value in order if value in mobility_types],
        agreement_count=len(institution.agreements_in_force),
        agreement_kinds=list(kinds.values()),
        programmes_unknown=programmes_unknown,
    )


def with_coverage_loaded(institutions: Iterable[Institution]) -> list[Institution]:
    """The institutions of a `with_coverage` queryset (or a page of one), each with its `coverage`."""
    found = list(institutions)
    for institution in found:
        institution.coverage = coverage_of(institution)
    return found


def destinations() -> list[Destination]:
    return list(Destination.objects.select_related("network"))


def regional_keys(all_destinations: list[Destination]) -> set[tuple[str, str]]:
    return {(d.country.code, d.region) for d in all_destinations if d.region}


def destination_q(destination: Destination, regional: set, prefix: str = "") -> Q:
    """The institutions that `destination` covers, as `Destination.covers` says, for the database;
    `prefix` reaches the institution from another model ("institution__")."""
    here = Q(**{f"{prefix}country": destination.country.code})
    if destination.region:
        return here & Q(**{f"{prefix}region": destination.region})
    regions_elsewhere = [region for country, region in regional if country == destination.country.code]
    if regions_elsewhere:
        return here & ~Q(**{f"{prefix}region__in": regions_elsewhere})
    return here


def destination_position(all_destinations: list[Destination], prefix: str = "") -> Case:
    """The index in `all_destinations` of the destination covering each institution, or
    `len(all_destinations)` for an institution that no destination covers: the lists' first sort key."""
    regional = regional_keys(all_destinations)
    return Case(
        *[
            When(destination_q(destination, regional, prefix), then=Value(position))
            for position, destination in enumerate(all_destinations)
        ],
        default=Value(len(all_destinations)),
    )


def in_destination(
    institutions: InstitutionQuerySet, destination: Destination, regional: set
) -> InstitutionQuerySet:
    return institutions.filter(destination_q(destination, regional))


def covered_by_agreements_in_force(*conditions: Q, **agreement_filters: Any) -> QuerySet[AgreementParty, Any]:
    """Ids of the institutions party to an agreement in force matching the filters."""
    agreements = Agreement.objects.in_force().filter(*conditions, **agreement_filters)
    return AgreementParty.objects.filter(agreement__in=agreements).values("institution")


def destination_partners(
    destination: Destination, all_destinations: list[Destination], page_number: str | None
) -> Page:
    """A page of the destination's partners in reading order, each with its `coverage`."""
    institutions = in_destination(
        Institution.objects.public_partners(), destination, regional_keys(all_destinations)
    )
    page = Paginator(with_coverage(institutions.in_reading_order()), PARTNERS_PER_PAGE).get_page(page_number)
    page.object_list = with_coverage_loaded(page.object_list)
    return page


def programmes_in_force() -> QuerySet[Programme]:
    """The programmes that some agreement in force covers: the valid choices of the filter."""
    return Programme.objects.filter(agreements__in=Agreement.objects.in_force()).distinct().order_by("code")


def own_institution_described() -> Institution | None:
    """Our own institution with its networks, for the home page's description (two queries)."""
    return (
        Institution.objects.filter(is_own=True)
        .prefetch_related(Prefetch("memberships", queryset=memberships_in_order()))
        .first()
    )


def institution_page(slug: str) -> Institution:
    """A public institution with its networks; its agreements come a page at a time."""
    institutions = Institution.objects.filter(is_public=True).prefetch_related(
        Prefetch("memberships", queryset=memberships_in_order())
    )
    return get_object_or_404(institutions, slug_matches(slug))


def institution_agreements(institution: Institution, page_number: str | None) -> "Page[AgreementDetails]":
    """A page of the institution's agreements in force (parties, programmes, terms), by title.

    Paged because an institution can be party to every agreement: our own school is.
    """
    agreements = (
        agreements_in_force()
        .filter(parties=institution)
        .prefetch_related(
            Prefetch("parties", queryset=Institution.objects.filter(is_public=True).order_by("name"))
        )
        .order_by("title", "pk")
    )
    paginator: Paginator[Any] = Paginator(agreements, AGREEMENTS_PER_PAGE)
    page = paginator.get_page(page_number)
    return Page([agreement_details(agreement) for agreement in page], page.number, paginator)


@dataclass
class AgreementDetails:
    """An agreement in force as its partner's page shows it: what is known, and once what is not."""

    agreement: Agreement
    programmes: list[Programme]
    terms: list[MobilityTerm]
    # The columns of the mobility table that at least one term fills in.
    shows_places: bool
    shows_duration: bool
    shows_language: bool
    shows_domain: bool
    # "À préciser pour cet accord : …", or "" when nothing is missing.
    to_confirm: str


def and_list(items: "list[StrOrPromise]") -> str:
    """ "a, b et c" in the visitor's language."""
    return get_text_list([str(item) for item in items], str(_("et")))


def agreement_details(agreement: Agreement) -> AgreementDetails:
    """What an agreement read through `agreements_in_force` says; no further query."""
    programmes = list(agreement.programmes.all())
    terms = list(agreement.mobility_terms.all())
    places = [term.places_per_year is not None for term in terms]
    durations = [term.duration_months is not None or term.duration_days is not None for term in terms]
    languages = [bool(term.language) for term in terms]
    missing: list[StrOrPromise] = []
    if not agreement.period_label:
        missing.append(_("la période de l’accord"))
    if not programmes:
        missing.append(_("les formations couvertes"))
    if not terms:
        missing.append(_("les mobilités prévues (places, durées, langue)"))
    else:
        if not all(places):
            missing.append(_("le nombre de places"))
        if not all(durations):
            missing.append(_("la durée des mobilités"))
        if not all(languages):
            missing.append(_("la langue recommandée"))
    return AgreementDetails(
        agreement=agreement,
        programmes=programmes,
        terms=terms,
        shows_places=any(places),
        shows_duration=any(durations),
        shows_language=any(languages),
        shows_domain=any(term.isced_code or term.eqf_level for term in terms),
        to_confirm=str(_("À préciser pour cet accord : %(items)s.") % {"items": and_list(missing)})
        if missing
        else "",
    )


def destination_page(slug: str, all_destinations: list[Destination]) -> Destination:
    """The destination `slug`, among those already loaded."""
    destination = next((d for d in all_destinations if d.slug_en == slug), None) or next(
        (d for d in all_destinations if d.slug == slug), None
    )
    if destination is None:
        raise Http404
    return destination


def network_page(slug: str) -> Network:
    """A network with its objectives and funding periods."""
    return get_object_or_404(
        Network.objects.prefetch_related("objectives", "funding_periods"), slug_matches(slug)
    )


@dataclass
class Funding:
    funder: str
    periods: str  # "2009–2011 (période), 2011–2012 (biennum) et 2012–2013"


def funding_by_funder(network: Network) -> list[Funding]:
    """The funded periods of a network page, as a phrase per funder (read from `network_page`)."""
    periods_of: dict[str, list[str]] = {}
    for period in network.funding_periods.all():
        years = f"{period.first_year}–{period.last_year}"
        periods_of.setdefault(period.funder, []).append(
            f"{years} ({period.label})" if period.label else years
        )
    return [Funding(funder, and_list(list(periods))) for funder, periods in periods_of.items()]


@dataclass
class MemberGroup:
    label: str
    memberships: list[NetworkMembership]


@dataclass
class NetworkSide:
    label: str
    groups: list[MemberGroup]


def network_sides(
    memberships: Iterable[NetworkMembership], all_destinations: list[Destination]
) -> list[NetworkSide]:
    """Members by side (a destination: France, Québec…), then by kind of institution, from
    memberships already in that order (`network_members`)."""
    regional = regional_keys(all_destinations)
    sides: dict[str, dict[str, list[NetworkMembership]]] = {}
    for membership in memberships:
        institution = membership.institution
        side = next(
            (d.label for d in all_destinations if d.covers(institution, regional)),
            str(institution.country.name),
        )
        sides.setdefault(side, {}).setdefault(institution.kind, []).append(membership)
    return [
        NetworkSide(
            label=label,
            groups=[MemberGroup(str(KIND_GROUP_LABELS[kind]), members) for kind, members in by_kind.items()],
        )
        for label, by_kind in sides.items()
    ]


def network_members(network: Network, all_destinations: list[Destination], page_number: str | None) -> Page:
    """A page of the network's public members, by side, kind of institution, then name.

    The sides are the destinations in their order, then the other countries by their name in the
    visitor's language: the count, taken by country, tells which countries those are.
    """
    memberships = network.memberships.filter(institution__is_public=True).order_by()
    per_country = dict(
        memberships.values("institution__country")
        .annotate(members=Count("pk"))
        .values_list("institution__country", "members")
    )
    by_country_name = sorted(per_country, key=lambda code: search_normalize(str(Country(code).name)))
    first_other = len(all_destinations)
    side = Case(
        # A destination's When comes first: it takes its members before their country's does.
        *destination_position(all_destinations, prefix="institution__").cases,
        *[
            When(institution__country=code, then=Value(first_other + rank))
            for rank, code in enumerate(by_country_name)
        ],
        default=Value(first_other + len(by_country_name)),
    )
    kind = Case(
        *[
            When(institution__kind=value, then=Value(rank))
            for rank, value in enumerate(Institution.Kind.values)
        ],
        default=Value(len(Institution.Kind.values)),
    )
    ordered = (
        memberships.select_related("institution")
        .annotate(side=side, kind_rank=kind)
        .order_by("side", "kind_rank", "institution__search_text", "pk")
    )
    paginator = CountedPaginator(ordered, MEMBERS_PER_PAGE, count=sum(per_country.values()))
    return paginator.get_page(page_number)


def network_agreements(network: Network, page_number: str | None) -> "Page[Agreement]":
    """A page of the network's agreements in force, by title."""
    agreements = agreements_in_force().filter(network=network).order_by("title", "pk")
    page = Paginator(agreements, NETWORK_AGREEMENTS_PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    return page


class CountedPaginator(Paginator):
    """A paginator whose count is already known (from a grouped count): no COUNT(*) of its own."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


@dataclass
class Overview:
    partner_count: int
    country_count: int
    networks: list


def overview() -> Overview:
    """The home page's figures: public partners, countries with a partnership, networks."""
    partner_countries = set(Institution.objects.public_partners().values_list("country", flat=True))
    destination_countries = set(Destination.objects.values_list("country", flat=True))
    return Overview(
        partner_count=Institution.objects.public_partners().count(),
        # Portugal counts: the school has a partnership there even though no partner is named yet.
        country_count=len((partner_countries | destination_countries) - {""}),
        networks=list(Network.objects.all()),
    )


def partner_maps(all_destinations: list[Destination]) -> list[PartnerMap]:
    """The partners' map, Europe then Québec: every public institution that has a position."""
    placed = list(
        Institution.objects.filter(
            is_public=True, latitude__isnull=False, longitude__isnull=False
        ).in_reading_order()
    )
    return [partner_map(slug, placed, all_destinations) for slug in VIEWS]
