"""Reads of the public partner pages: a fixed number of queries whatever the number of rows.

A page's object that does not exist (or is not public) is an Http404, as in `mobility.selectors`:
the views never tell a missing object from a hidden one.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import get_text_list
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
from partnerships.models.english_slugs import slug_matches
from partnerships.text import search_normalize

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


def still_unknown(institutions: list[Institution]) -> StillUnknown:
    return StillUnknown(
        programmes=any(not i.coverage.programmes for i in institutions),
        mobility_types=any(not i.coverage.mobility_types for i in institutions),
    )


def by_name(institution: Institution) -> str:
    """Alphabetical order as a reader expects it: "de la Montérégie" before "de Montréal"."""
    return search_normalize(institution.name)


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


def with_coverage_loaded(institutions: QuerySet[Institution]) -> list[Institution]:
    """The institutions in reading order, each with its `coverage` (a fixed number of queries)."""
    found = sorted(with_coverage(institutions), key=by_name)
    for institution in found:
        institution.coverage = coverage_of(institution)
    return found


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


def destination_partners(destination: Destination, all_destinations: list[Destination]) -> list[Institution]:
    institutions = in_destination(
        Institution.objects.public_partners(), destination, regional_keys(all_destinations)
    )
    return with_coverage_loaded(institutions)


def programmes_in_force() -> QuerySet[Programme]:
    """The programmes that some agreement in force covers: the valid choices of the filter."""
    return Programme.objects.filter(agreements__in=Agreement.objects.in_force()).distinct().order_by("code")


def institution_page(slug: str) -> Institution:
    """A public institution with its agreements in force (parties, programmes, terms) and networks."""
    agreements = agreements_in_force().prefetch_related(
        Prefetch("parties", queryset=Institution.objects.filter(is_public=True).order_by("name"))
    )
    institutions = Institution.objects.filter(is_public=True).prefetch_related(
        Prefetch("agreements", queryset=agreements, to_attr="agreements_in_force"),
        Prefetch("memberships", queryset=memberships_in_order()),
    )
    return get_object_or_404(institutions, slug_matches(slug))


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
                    str(KIND_GROUP_LABELS[kind]), sorted(by_kind[kind], key=lambda m: by_name(m.institution))
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
