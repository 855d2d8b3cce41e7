"""The mobilities counted per academic year, for the public page and the staff's CSV.

A *mobility* is an application that was accepted and not given up: its status is accepted,
mobility in progress or mobility completed (never submitted, under review, waitlisted,
rejected or withdrawn). It counts in its call's academic year, in its call's direction, at
the country of its first choice (the portal records no other destination for it).

Every figure costs the same four queries whatever the number of applications and agreements:
the counts are grouped by the database, the rest is summed here.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, FilteredRelation, Q, Sum
from django.utils.translation import gettext_lazy as _

from mobility.models import Application
from mobility.models.applications import Category, Status
from partnerships.academic_years import academic_year_of, local_today
from partnerships.models import Agreement, AgreementParty, MobilityTerm

COUNTED_STATUSES = (Status.ACCEPTED, Status.DEPARTED, Status.COMPLETED)


class MobilityKind(models.TextChoices):
    STUDIES = "studies", _("études")
    TRAINEESHIP = "traineeship", _("stage")
    STAFF = "staff", _("personnel")


class Direction(models.TextChoices):
    OUTGOING = MobilityTerm.Direction.OUTGOING.value, _("sortante")
    INCOMING = MobilityTerm.Direction.INCOMING.value, _("entrante")


def mobility_kind(category: str, mobility_type: str) -> MobilityKind:
    """Staff (anyone who is not a student) on one side, students' studies and traineeships on
    the other. A student with no type recorded (a call that named none) counts as studies, the
    students' mobility by default."""
    if category != Category.STUDENT or mobility_type in MobilityTerm.STAFF_TYPES:
        return MobilityKind.STAFF
    if mobility_type == MobilityTerm.MobilityType.STUDENT_TRAINEESHIP:
        return MobilityKind.TRAINEESHIP
    return MobilityKind.STUDIES


@dataclass
class YearCounts:
    """One academic year's exact figures: counts of people (`mobilities`, `by_*`) and of
    agreements and places, which are not people."""

    year: int
    mobilities: int = 0
    by_country: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    by_direction: Counter[str] = field(default_factory=Counter)
    # The places per year of the mobility terms of the agreements in force that year, by the
    # country of the partner (in each partner's country, for an agreement with partners in several).
    places_by_country: Counter[str] = field(default_factory=Counter)
    places_offered: int = 0
    agreements_in_force: int = 0


@dataclass(frozen=True)
class MobilityStatistics:
    years: list[YearCounts]  # oldest first
    current_year: int
    agreements_in_force_today: int


def _in_force(first: int | None, last: int | None, year: int) -> bool:
    # As `AgreementQuerySet.in_force`, for any year: open ends are allowed.
    return (first is None or first <= year) and (last is None or last >= year)


def mobility_statistics(*, year: int | None = None) -> MobilityStatistics:
    """The figures of every academic year with a mobility, and of the current one; or of
    `year` alone."""
    current_year = academic_year_of(local_today())
    mobilities = Application.objects.filter(status__in=COUNTED_STATUSES)
    if year is not None:
        mobilities = mobilities.filter(call__academic_year=year)
    rows = (
        mobilities.alias(first_choice=FilteredRelation("choices", condition=Q(choices__rank=1)))
        .values(
            "call__academic_year",
            "call__direction",
            "category",
            "mobility_type",
            country=models.F("first_choice__destination__institution__country"),
        )
        .annotate(people=Count("pk"))
        .order_by()
    )
    by_year: dict[int, YearCounts] = {}
    for row in rows:
        counts = by_year.setdefault(row["call__academic_year"], YearCounts(row["call__academic_year"]))
        people = row["people"]
        counts.mobilities += people
        counts.by_country[row["country"] or ""] += people
        counts.by_kind[mobility_kind(row["category"], row["mobility_type"])] += people
        counts.by_direction[row["call__direction"]] += people
    wanted = [year] if year is not None else sorted({*by_year, current_year})
    years = [by_year.get(each) or YearCounts(each) for each in wanted]

    signed = Agreement.objects.signed()
    periods = list(signed.values_list("pk", "first_academic_year", "last_academic_year"))
    places = dict(
        MobilityTerm.objects.filter(agreement__in=signed, places_per_year__isnull=False)
        .values("agreement")
        .annotate(places=Sum("places_per_year"))
        .order_by()
        .values_list("agreement", "places")
    )
    partner_countries: defaultdict[int, set[str]] = defaultdict(set)
    for agreement, country in (
        AgreementParty.objects.filter(agreement__in=signed, institution__is_own=False)
        .values_list("agreement", "institution__country")
        .distinct()
    ):
        partner_countries[agreement].add(country)

    for counts in years:
        for agreement, first, last in periods:
            if not _in_force(first, last, counts.year):
                continue
            counts.agreements_in_force += 1
            offered = places.get(agreement) or 0
            counts.places_offered += offered
            if offered:
                for country in partner_countries[agreement]:
                    counts.places_by_country[country] += offered
    today = sum(1 for _pk, first, last in periods if _in_force(first, last, current_year))
    return MobilityStatistics(years, current_year, today)
