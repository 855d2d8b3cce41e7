"""Reads of the public partner pages: a fixed number of queries whatever the number of rows.

A page's object that does not exist (or is not public) is an Http404, as in `mobility.selectors`:
the views never tell a missing object from a hidden one.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

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

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
    """What an institution's agreements in force cover, for the lists."""

    programmes: list[Programme] = field(default_factory=list)
    mobility_types: list[str] = field(default_factory=list)
    agreement_count: int = 0


@dataclass
class DestinationGroup:
    destination: Destination | None
    institutions: list[Institution]
    label: str = ""

    @property
    def title(self) -> str:
        return self.destination.label if self.destination else self.label


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


def with_coverage(institutions: QuerySet[Institution]) -> QuerySet[Institution]:
    return institutions.prefetch_related(
        # The attribute is declared on Institution, for the functions that read it.
        Prefetch(
            "agreements",
            queryset=agreements_in_force(),
            to_attr="agreements_in_force",  # type: ignore[no-redef]
        )
    )


def coverage_of(institution: Institution) -> Coverage:
    programmes: dict[str, Programme] = {}
    mobility_types: dict[str, str] = {}
    for agreement in institution.agreements_in_force:
        for programme in agreement.programmes.all():
            programmes[programme.code] = programme
        for term in agreement.mobility_terms.all():
            mobility_types[term.mobility_type] = term.get_mobility_type_display()
    order = [choice.value for choice in MobilityTerm.MobilityType]
    return Coverage(
        programmes=sorted(programmes.values(), key=lambda programme: programme.code),
        mobility_types=[mobility_types[value] for value in order if value in mobility_types],
        agreement_count=len(institution.agreements_in_force),
    )


def destinations() -> list[Destination]:
    return list(Destination.objects.select_related("network"))


def regional_keys(all_destinations: list[Destination]) -> set[tuple[str, str]]:
    return {(d.country.code, d.region) for d in all_destinations if d.region}


def in_destination(institutions: QuerySet[Institution], destination: Destination, regional: set) -> QuerySet:
    institutions = institutions.filter(country=destination.country)
    if destination.region:
        return institutions.filter(region=destination.region)
    regions_elsewhere = [region for country, region in regional if country == destination.country.code]
    return institutions.exclude(region__in=regions_elsewhere)


def covered_by_agreements_in_force(**agreement_filters: Any) -> QuerySet[AgreementParty, Any]:
    """Ids of the institutions party to an agreement in force matching the filters."""
    agreements = Agreement.objects.in_force().filter(**agreement_filters)
    return AgreementParty.objects.filter(agreement__in=agreements).values("institution")


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


def partner_directory(search: PartnerSearch, all_destinations: list[Destination]) -> list[DestinationGroup]:
    """Public partners matching the search, grouped by destination in the destinations' order."""
    regional = regional_keys(all_destinations)
    institutions = Institution.objects.public_partners()
    if search.text:
        institutions = institutions.matching(search.text)
    if search.destination:
        institutions = in_destination(institutions, search.destination, regional)
    if search.kind:
        institutions = institutions.filter(kind=search.kind)
    if search.programme:
        institutions = institutions.filter(pk__in=covered_by_agreements_in_force(programmes=search.programme))
    if search.mobility_type:
        institutions = institutions.filter(
            pk__in=covered_by_agreements_in_force(mobility_terms__mobility_type=search.mobility_type)
        )
    found = list(with_coverage(institutions).order_by("name"))
    for institution in found:
        institution.coverage = coverage_of(institution)

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
    return groups


def destination_partners(destination: Destination, all_destinations: list[Destination]) -> list[Institution]:
    institutions = in_destination(
        Institution.objects.public_partners(), destination, regional_keys(all_destinations)
    )
    found = list(with_coverage(institutions).order_by("name"))
    for institution in found:
        institution.coverage = coverage_of(institution)
    return found


def programmes_in_force() -> QuerySet[Programme]:
    """The programmes that some agreement in force covers: the useful choices of the filter."""
    return Programme.objects.filter(agreements__in=Agreement.objects.in_force()).distinct().order_by("code")


def institution_page(slug: str) -> Institution:
    """A public institution with its agreements in force (parties, programmes, terms) and networks."""
    agreements = agreements_in_force().prefetch_related(
        Prefetch("parties", queryset=Institution.objects.filter(is_public=True).order_by("name"))
    )
    institutions = Institution.objects.filter(is_public=True).prefetch_related(
        Prefetch("agreements", queryset=agreements, to_attr="agreements_in_force"),
        Prefetch(
            "memberships",
            queryset=NetworkMembership.objects.select_related("network").order_by("network__position"),
        ),
    )
    return get_object_or_404(institutions, slug=slug)


def destination_page(slug: str, all_destinations: list[Destination]) -> Destination:
    """The destination `slug`, among those already loaded."""
    destination = next((d for d in all_destinations if d.slug == slug), None)
    if destination is None:
        raise Http404
    return destination


def network_page(slug: str) -> Network:
    """A network with its objectives and funding periods."""
    return get_object_or_404(Network.objects.prefetch_related("objectives", "funding_periods"), slug=slug)


@dataclass
class MemberGroup:
    label: str
    memberships: list[NetworkMembership]


@dataclass
class NetworkSide:
    label: str
    groups: list[MemberGroup]


def network_sides(
    memberships: list[NetworkMembership], all_destinations: list[Destination]
) -> list[NetworkSide]:
    """Members by side (a destination: France, Québec…), then by kind of institution."""
    regional = regional_keys(all_destinations)
    sides: dict[tuple[int, str], dict[str, list[NetworkMembership]]] = {}
    for membership in memberships:
        institution = membership.institution
        side = next(
            ((index, d.label) for index, d in enumerate(all_destinations) if d.covers(institution, regional)),
            (len(all_destinations), str(institution.country.name)),
        )
        sides.setdefault(side, {}).setdefault(institution.kind, []).append(membership)
    kind_order = [kind.value for kind in Institution.Kind]
    return [
        NetworkSide(
            label=label,
            groups=[
                MemberGroup(
                    str(KIND_GROUP_LABELS[kind]), sorted(by_kind[kind], key=lambda m: m.institution.name)
                )
                for kind in kind_order
                if kind in by_kind
            ],
        )
        for (_position, label), by_kind in sorted(sides.items())
    ]


def network_page_memberships(network: Network) -> list[NetworkMembership]:
    return list(
        network.memberships.filter(institution__is_public=True)
        .select_related("institution")
        .order_by("institution__name")
    )


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
