"""The figures of "La mobilité en chiffres": what counts as a mobility, in which year, country,
type and direction; the places offered against the places filled; the agreements in force."""

import pytest

from mobility.models.applications import Status
from mobility.statistics.figures import Direction, MobilityKind, mobility_statistics
from partnerships.models import Agreement
from tests.factories import (
    AgreementFactory,
    ApplicationFactory,
    CallDestinationFactory,
    CallFactory,
    InstitutionFactory,
    MobilityTermFactory,
)

pytestmark = pytest.mark.django_db


def year_of(statistics, year):
    (counts,) = [counts for counts in statistics.years if counts.year == year]
    return counts


def test_only_accepted_and_later_applications_count_as_mobilities():
    call = CallFactory.create(academic_year=2025)
    destination = CallDestinationFactory.create(call=call)
    for status in Status:
        ApplicationFactory.create(call=call, status=status, first_choice=destination)

    counts = year_of(mobility_statistics(), 2025)

    # Accepted, mobility in progress, mobility completed; never submitted, under review,
    # waitlisted, rejected or withdrawn.
    assert counts.mobilities == 3


def test_mobilities_count_in_their_calls_year_country_type_and_direction():
    belgium = InstitutionFactory.create(country="BE")
    quebec = InstitutionFactory.create(country="CA")
    outgoing = CallFactory.create(academic_year=2025, direction="outgoing")
    incoming = CallFactory.create(academic_year=2025, direction="incoming")
    later = CallFactory.create(academic_year=2026)
    to_belgium = CallDestinationFactory.create(call=outgoing, institution=belgium)
    from_quebec = CallDestinationFactory.create(call=incoming, institution=quebec)
    ApplicationFactory.create_batch(
        2, call=outgoing, category="student", mobility_type="student_studies", first_choice=to_belgium
    )
    ApplicationFactory.create(
        call=outgoing, category="student", mobility_type="student_traineeship", first_choice=to_belgium
    )
    ApplicationFactory.create(
        call=incoming, category="trainer", mobility_type="staff_teaching", first_choice=from_quebec
    )
    ApplicationFactory.create(
        call=later, first_choice=CallDestinationFactory.create(call=later, institution=belgium)
    )

    counts = year_of(mobility_statistics(), 2025)

    assert counts.mobilities == 4
    assert counts.by_country == {"BE": 3, "CA": 1}
    assert counts.by_kind == {MobilityKind.STUDIES: 2, MobilityKind.TRAINEESHIP: 1, MobilityKind.STAFF: 1}
    assert counts.by_direction == {Direction.OUTGOING: 3, Direction.INCOMING: 1}
    assert year_of(mobility_statistics(), 2026).mobilities == 1


def test_a_mobility_without_a_first_choice_counts_under_no_country():
    ApplicationFactory.create(call=CallFactory.create(academic_year=2025))

    assert year_of(mobility_statistics(), 2025).by_country == {"": 1}


def test_places_offered_are_those_of_the_agreements_in_force_that_year_by_partner_country():
    belgium = InstitutionFactory.create(country="BE")
    italy = InstitutionFactory.create(country="IT")
    in_force = AgreementFactory.create(first_academic_year=2024, last_academic_year=2026, partners=[belgium])
    MobilityTermFactory.create(agreement=in_force, places_per_year=3)
    MobilityTermFactory.create(
        agreement=in_force,
        mobility_type="staff_teaching",
        duration_months=None,
        duration_days=5,
        places_per_year=2,
    )
    open_ended = AgreementFactory.create(first_academic_year=2025, last_academic_year=None, partners=[italy])
    MobilityTermFactory.create(agreement=open_ended, places_per_year=4)
    # Not in force: a draft, a terminated one, one over before, one not started; no number of places.
    for agreement in (
        AgreementFactory.create(is_draft=True, partners=[italy]),
        AgreementFactory.create(is_terminated=True, partners=[italy]),
        AgreementFactory.create(first_academic_year=2020, last_academic_year=2023, partners=[italy]),
        AgreementFactory.create(first_academic_year=2027, last_academic_year=2030, partners=[italy]),
    ):
        MobilityTermFactory.create(agreement=agreement, places_per_year=50)
    MobilityTermFactory.create(agreement=AgreementFactory.create(partners=[italy]), places_per_year=None)
    call = CallFactory.create(academic_year=2025)
    ApplicationFactory.create_batch(
        2, call=call, first_choice=CallDestinationFactory.create(call=call, institution=belgium)
    )

    counts = year_of(mobility_statistics(), 2025)

    assert counts.places_offered == 3 + 2 + 4
    assert counts.places_by_country == {"BE": 5, "IT": 4}
    # Places filled: the mobilities counted there that year.
    assert counts.by_country == {"BE": 2}
    # The two with places, and the one in force that states none.
    assert counts.agreements_in_force == 3


def test_agreements_in_force_are_counted_per_year_and_today():
    AgreementFactory.create(first_academic_year=2020, last_academic_year=2025)
    AgreementFactory.create(first_academic_year=2026, last_academic_year=2030)
    AgreementFactory.create(first_academic_year=None, last_academic_year=None)
    for year in (2024, 2025):
        ApplicationFactory.create(call=CallFactory.create(academic_year=year))

    statistics = mobility_statistics()

    assert [counts.year for counts in statistics.years] == [2024, 2025, statistics.current_year]
    assert year_of(statistics, 2024).agreements_in_force == 2
    assert year_of(statistics, 2025).agreements_in_force == 2
    # Today is in 2026-2027 or later: the first one is over, the second in force; as the
    # admin's "en vigueur" counts them.
    assert statistics.agreements_in_force_today == 2
    assert statistics.agreements_in_force_today == Agreement.objects.in_force().count()


def test_one_year_asked_for_has_its_figures_only():
    ApplicationFactory.create(call=CallFactory.create(academic_year=2024))
    ApplicationFactory.create_batch(2, call=CallFactory.create(academic_year=2025))

    (counts,) = mobility_statistics(year=2025).years

    assert (counts.year, counts.mobilities) == (2025, 2)
