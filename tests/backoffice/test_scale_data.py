"""`generate_scale_data` writes made-up data that holds together as real data does: agreements
signed by our own institution, applications with their wishes and a history that follows the
workflow, rows that pass the models' own validation; and it refuses to touch a database
that is not a development one unless told to."""

import re
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse

from mobility.models import Application, Call, StatusChange
from mobility.models.applications import FINAL_STATUSES, TRANSITIONS, Status
from partnerships.models import Agreement, AgreementParty, Institution, MobilityTerm, NetworkMembership

pytestmark = pytest.mark.django_db


def generate(partners: int = 30, applications: int = 60, **options) -> str:
    out = StringIO()
    call_command("generate_scale_data", partners=partners, applications=applications, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded():
    """The site's seed content first, as `make bench SCALE=1` loads it: the networks, our institution."""
    call_command("load_seed", stdout=StringIO())


def partner_institutions():
    return Institution.objects.filter(is_own=False)


def test_refuses_without_debug_or_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"DJANGO_DEBUG=1.*--force"):
        generate()
    assert not Institution.objects.exists()
    assert not Application.objects.exists()


def test_runs_without_force_when_debug_is_on(settings):
    settings.DEBUG = True
    generate(partners=3, applications=4)
    assert partner_institutions().count() == 3
    assert Application.objects.count() == 4


# Seeds whose three partners all happened to be in France, hidden or without an agreement.
@pytest.mark.parametrize("seed", [86, 143, 238, 271])
def test_a_handful_of_partners_still_gives_every_application_a_call(seed):
    """With three partners, all of them could have been drawn in France, hidden or without an
    agreement, leaving the calls without a destination and the applications unwritten."""
    generate(partners=3, applications=4, force=True, seed=seed)
    assert Application.objects.count() == 4
    assert Application.objects.filter(choices__isnull=True).count() == 0


def test_every_agreement_has_our_institution_and_a_partner_as_parties(seeded):
    last_seeded = Institution.objects.order_by("pk").last()
    assert last_seeded is not None
    generate(force=True, seed=1)
    new_partners = Institution.objects.filter(pk__gt=last_seeded.pk)
    assert new_partners.count() == 30
    assert not new_partners.filter(is_own=True).exists()
    own = Institution.objects.get(is_own=True)
    generated = Agreement.objects.filter(party_links__institution__in=new_partners).distinct()
    assert generated.count() >= 20
    assert not Agreement.objects.exclude(party_links__institution=own).exists()
    with_partners = Agreement.objects.annotate(partners=Count("party_links")).filter(partners__gte=2)
    assert with_partners.count() == Agreement.objects.count()
    assert MobilityTerm.objects.filter(agreement__in=generated).count() >= generated.count()
    # The seed's Erasmus network takes in partners with an Erasmus code.
    assert NetworkMembership.objects.filter(institution__in=new_partners, network__slug="erasmus").exists()


def test_applications_have_choices_languages_and_a_history_that_follows_the_workflow():
    generate(force=True, seed=2)
    applications = Application.objects.prefetch_related("choices__destination", "languages", "history")
    assert applications.count() == 60
    for application in applications:
        assert re.fullmatch(rf"MOB-\d{{4}}-0*{application.pk}", application.reference)
        choices = list(application.choices.all())
        assert 1 <= len(choices) <= 3
        assert [choice.rank for choice in choices] == list(range(1, len(choices) + 1))
        assert {choice.destination.call_id for choice in choices} == {application.call_id}
        assert application.languages.exists()

        history = list(application.history.all())
        assert (history[0].from_status, history[0].to_status) == ("", Status.SUBMITTED)
        for previous, change in pairwise(history):
            assert change.from_status == previous.to_status
            assert change.changed_at >= previous.changed_at
            allowed = TRANSITIONS[change.from_status] | ({Status.WITHDRAWN} if change.by_applicant else set())
            assert change.to_status in allowed
        assert history[-1].to_status == application.status
        assert (application.decided_at is not None) == (application.status in FINAL_STATUSES)
        assert application.submitted_at == history[0].changed_at
    assert Application.objects.values("token_hash").distinct().count() == 60


def test_generated_rows_pass_the_models_validation():
    generate(partners=40, applications=40, force=True, seed=3)
    for model in (Institution, Agreement, AgreementParty, MobilityTerm, Call, Application, StatusChange):
        for row in model.objects.all()[:100]:
            row.full_clean()


def test_a_second_run_adds_as_much_again(seeded):
    seeded_partners = partner_institutions().count()
    generate(partners=20, applications=30, force=True, seed=4)
    generate(partners=20, applications=30, force=True, seed=4)
    assert partner_institutions().count() == seeded_partners + 40
    assert Application.objects.count() == 60
    assert Institution.objects.filter(is_own=True).count() == 1


def test_the_pages_of_generated_partners_and_calls_answer(client):
    output = generate(force=True, seed=5)
    assert "Added 60 applications" in output
    partner = partner_institutions().filter(is_public=True).first()
    assert partner is not None
    assert client.get(partner.get_absolute_url()).status_code == 200
    call = Call.objects.open_at().exclude(destinations=None).first()
    assert call is not None
    form = client.get(reverse("mobility:apply", kwargs={"slug": call.slug}))
    assert form.status_code == 200
    # French pages may set no-break spaces in names; the words stay the same.
    shown = " ".join(form.content.decode().replace("\u202f", " ").replace("\xa0", " ").split())
    offered = call.destinations.first()
    assert offered is not None
    assert offered.institution.name in shown
