import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from partnerships.models import Agreement, MobilityTerm
from tests.factories import AgreementFactory, InstitutionFactory, MobilityTermFactory, OwnInstitutionFactory


@pytest.fixture
def seeded(db):
    """The site's real seed content, loaded as `make run` loads it."""
    call_command("load_seed", stdout=io.StringIO())


@pytest.fixture
def erasmus_agreement(db) -> Agreement:
    """An Erasmus+ agreement with Parma that offers all four kinds of mobility, ready for EWP."""
    OwnInstitutionFactory.create(schac_code="irtsnormandiecaen.fr")
    parma = InstitutionFactory.create(name="Università di Parma", country="IT", schac_code="unipr.it")
    agreement = AgreementFactory.create(partners=[parma], first_academic_year=2025, last_academic_year=2028)
    MobilityTermFactory.create(
        agreement=agreement, isced_code="0923", eqf_level=6, language="it", cefr_level="B1", places_per_year=2
    )
    MobilityTermFactory.create(
        agreement=agreement,
        mobility_type=MobilityTerm.MobilityType.STUDENT_TRAINEESHIP,
        direction=MobilityTerm.Direction.INCOMING,
        duration_months=Decimal("2.5"),
        places_per_year=3,
        language="",
        cefr_level="",
        blended=True,
    )
    MobilityTermFactory.create(
        agreement=agreement,
        mobility_type=MobilityTerm.MobilityType.STAFF_TEACHING,
        duration_months=None,
        duration_days=5,
        places_per_year=1,
        language="en",
        cefr_level="B2",
    )
    MobilityTermFactory.create(
        agreement=agreement,
        mobility_type=MobilityTerm.MobilityType.STAFF_TRAINING,
        direction=MobilityTerm.Direction.INCOMING,
        duration_months=None,
        duration_days=None,
        places_per_year=2,
        language="",
        cefr_level="",
    )
    return agreement
