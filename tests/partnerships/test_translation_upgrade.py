"""An instance that ran the portal before its content was bilingual upgrades with `migrate`
alone: every text it holds becomes the French text, and the English texts start empty."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from mobility.models import Call
from partnerships.models import Institution, Network

BEFORE_TRANSLATION = [("partnerships", "0001_initial"), ("mobility", "0005_application_language")]


def migrate(*args: str) -> None:
    call_command("migrate", *args, verbosity=0, stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_existing_texts_become_the_french_ones_and_english_starts_empty():
    migrate("mobility", "0005_application_language")
    migrate("partnerships", "0001_initial")
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE_TRANSLATION).apps
        network = old.get_model("partnerships", "Network").objects.create(
            name="Réseau franco-québécois",
            slug="reseau",
            summary="Depuis 2008.",
            history="Une longue histoire.",
        )
        old.get_model("partnerships", "Institution").objects.create(
            name="Université de Parme", slug="parme", kind="university", country="IT", city="Parme"
        )
        old.get_model("mobility", "Call").objects.create(
            title="Stages 2027",
            slug="stages-2027",
            academic_year=2027,
            audience="students",
            direction="outgoing",
            mobility_types=["student_traineeship"],
            opens_at="2027-01-01T00:00:00Z",
            closes_at="2027-02-01T00:00:00Z",
            description="Partir en stage.",
        )
        assert network.pk
    finally:
        migrate()

    parma = Institution.objects.get(slug="parme")
    assert (parma.name_fr, parma.city_fr) == ("Université de Parme", "Parme")
    assert parma.name_en is None
    assert parma.slug_en is None
    network = Network.objects.get(slug="reseau")
    assert (network.summary_fr, network.history_fr) == ("Depuis 2008.", "Une longue histoire.")
    call = Call.objects.get(slug="stages-2027")
    assert (call.title_fr, call.description_fr) == ("Stages 2027", "Partir en stage.")
    # Until someone writes the English, the English page shows the French.
    with translation.override("en"):
        assert Institution.objects.get(slug="parme").name == "Université de Parme"
