import datetime

import pytest
from django.db import IntegrityError, transaction

from partnerships.models import Agreement, FundingPeriod, Institution, MobilityTerm
from partnerships.text import search_normalize
from tests.factories import (
    AgreementFactory,
    InstitutionFactory,
    MobilityTermFactory,
    NetworkFactory,
    OwnInstitutionFactory,
)


@pytest.mark.django_db
def test_database_refuses_an_agreement_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory.create(first_academic_year=2026, last_academic_year=2025)
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_an_agreement_may_end_the_year_it_starts():
    agreement = AgreementFactory.create(first_academic_year=2026, last_academic_year=2026)
    assert agreement.ends_on == datetime.date(2027, 8, 31)


@pytest.mark.django_db
def test_database_allows_only_one_own_institution():
    OwnInstitutionFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        InstitutionFactory.create(is_own=True)
    assert Institution.objects.filter(is_own=True).count() == 1


@pytest.mark.django_db
def test_slugs_are_unique():
    InstitutionFactory.create(slug="parme")
    with pytest.raises(IntegrityError), transaction.atomic():
        InstitutionFactory.create(slug="parme")


@pytest.mark.django_db
def test_database_refuses_a_funding_period_that_ends_before_it_starts():
    network = NetworkFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingPeriod.objects.create(network=network, funder="FFQCD", first_year=2013, last_year=2012)


@pytest.mark.django_db
def test_database_refuses_days_on_a_student_mobility():
    with pytest.raises(IntegrityError), transaction.atomic():
        MobilityTermFactory.create(mobility_type=MobilityTerm.MobilityType.STUDENT_STUDIES, duration_days=5)
    staff = MobilityTermFactory.create(
        mobility_type=MobilityTerm.MobilityType.STAFF_TEACHING, duration_months=None, duration_days=5
    )
    assert staff.pk


@pytest.mark.parametrize(
    ("today", "first", "last", "terminated", "draft", "expected"),
    [
        (datetime.date(2026, 11, 28), 2024, 2028, False, False, Agreement.Status.IN_FORCE),
        (datetime.date(2026, 11, 28), 2024, 2026, False, False, Agreement.Status.IN_FORCE),
        (datetime.date(2027, 6, 15), 2024, 2026, False, False, Agreement.Status.EXPIRING),
        (datetime.date(2027, 9, 1), 2024, 2026, False, False, Agreement.Status.EXPIRED),
        (datetime.date(2026, 11, 28), 2027, 2030, False, False, Agreement.Status.UPCOMING),
        (datetime.date(2026, 11, 28), 2024, 2028, True, False, Agreement.Status.TERMINATED),
        (datetime.date(2026, 11, 28), 2024, 2028, False, True, Agreement.Status.DRAFT),
        (datetime.date(2026, 11, 28), None, None, False, False, Agreement.Status.IN_FORCE),
    ],
)
def test_agreement_status_follows_dates_and_flags(today, first, last, terminated, draft, expected):
    agreement = Agreement(
        first_academic_year=first, last_academic_year=last, is_terminated=terminated, is_draft=draft
    )
    assert agreement.status(today) == expected


@pytest.mark.django_db
def test_in_force_and_expiring_querysets_agree_with_the_status():
    today = datetime.date(2027, 6, 15)
    ending_soon = AgreementFactory.create(first_academic_year=2024, last_academic_year=2026)
    ending_later = AgreementFactory.create(first_academic_year=2024, last_academic_year=2027)
    AgreementFactory.create(first_academic_year=2020, last_academic_year=2025)  # expired
    AgreementFactory.create(first_academic_year=2024, last_academic_year=2026, is_terminated=True)
    AgreementFactory.create(first_academic_year=2024, last_academic_year=2026, is_draft=True)

    assert set(Agreement.objects.in_force(today)) == {ending_soon, ending_later}
    assert list(Agreement.objects.expiring_within(90, today)) == [ending_soon]
    assert set(Agreement.objects.expiring_within(500, today)) == {ending_soon, ending_later}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Montérégie", "monteregie"), ("WÜRZBURG", "wurzburg"), ("l’Estrie", "l'estrie"), ("Îles", "iles")],
)
def test_search_normalisation_ignores_case_accents_and_typography(typed, stored):
    assert search_normalize(typed) == stored
