"""An agreement's lifecycle: the status filter of the admin list, the expiry command and its
digest e-mail, and the renewal (service and admin action).

Agreements end on 31 August of their last academic year, so the boundaries are set relative to
today: each test builds agreements on both sides of the boundary it checks, and moves
PORTAL_EXPIRY_WARNING_DAYS to put the "expiring" boundary exactly on an agreement's last day.
"""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.models import Agreement, MobilityTerm
from partnerships.models.agreements import academic_year_of
from tests.factories import (
    AgreementFactory,
    InstitutionFactory,
    MobilityTermFactory,
    NetworkFactory,
    OwnInstitutionFactory,
    ProgrammeFactory,
)

RI_GROUP = "Relations internationales"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def changelist_url() -> str:
    return reverse("admin:partnerships_agreement_changelist")


def this_year() -> int:
    return academic_year_of(timezone.localdate())


def days_until_end_of(last_academic_year: int) -> int:
    """Days from today to 31 August ending `last_academic_year`."""
    return (datetime.date(last_academic_year + 1, 8, 31) - timezone.localdate()).days


def run_expiring(*args) -> tuple[str, str]:
    """The command as cron runs it; its mail leaves the outbox once the command's writes commit."""
    stdout, stderr = StringIO(), StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("agreements_expiring", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def _user(username: str, email: str, **fields):
    return get_user_model().objects.create_user(username, email=email, password="x" * 16, **fields)


def expected_line(agreement: Agreement) -> str:
    names = ", ".join(sorted(party.institution.name for party in agreement.party_links.all()))
    return f"{agreement.title} — fin le {agreement.ends_on:%d/%m/%Y} — {names}"


# --- Status filter -----------------------------------------------------------------------


@pytest.fixture
def agreements_around_every_boundary(db, settings):
    """One agreement per side of each status boundary, titled with the status it must have.

    The warning window ends exactly on the last day of the agreements ending this academic
    year: those are "expiring" (the boundary day included); a year later is "in force".
    """
    year = this_year()
    settings.PORTAL_EXPIRY_WARNING_DAYS = days_until_end_of(year)
    partner = InstitutionFactory.create()

    def make(title, **fields):
        return AgreementFactory.create(title=title, partners=[partner], **fields)

    make("draft: brouillon signé l’an prochain", is_draft=True, first_academic_year=year + 1)
    make("draft: brouillon en cours", is_draft=True, first_academic_year=year, last_academic_year=year)
    make("terminated: résilié en cours", is_terminated=True, first_academic_year=year)
    make("terminated: résilié et brouillon", is_terminated=True, is_draft=True)
    make("upcoming: commence l’an prochain", first_academic_year=year + 1, last_academic_year=year + 3)
    make("in_force: commence cette année", first_academic_year=year, last_academic_year=year + 1)
    make("in_force: sans dates", first_academic_year=None, last_academic_year=None)
    make("in_force: sans fin", first_academic_year=year - 3, last_academic_year=None)
    make("expiring: finit cette année", first_academic_year=year - 2, last_academic_year=year)
    make("expiring: sans début, finit cette année", first_academic_year=None, last_academic_year=year)
    make("expired: a fini l’an dernier", first_academic_year=year - 4, last_academic_year=year - 1)
    make("expired: sans début, a fini l’an dernier", first_academic_year=None, last_academic_year=year - 1)
    return Agreement.objects.all()


@pytest.mark.django_db
@pytest.mark.parametrize("status", Agreement.Status.values)
def test_status_filter_lists_exactly_the_agreements_of_that_status(
    admin_client, agreements_around_every_boundary, status
):
    response = admin_client.get(changelist_url(), {"status": status})
    assert response.status_code == 200
    listed = sorted(agreement.title for agreement in response.context["cl"].result_list)
    expected = sorted(a.title for a in agreements_around_every_boundary if a.title.startswith(f"{status}:"))
    assert expected, "each status has agreements in the fixture"
    assert listed == expected
    # The filter and the marker shown in the list agree.
    assert {a.status() for a in response.context["cl"].result_list} == {status}


@pytest.mark.django_db
def test_one_day_less_of_warning_puts_the_last_day_agreement_back_in_force(admin_client, settings):
    year = this_year()
    settings.PORTAL_EXPIRY_WARNING_DAYS = days_until_end_of(year) - 1
    agreement = AgreementFactory.create(first_academic_year=year - 1, last_academic_year=year)
    in_force = admin_client.get(changelist_url(), {"status": "in_force"}).context["cl"].result_list
    expiring = admin_client.get(changelist_url(), {"status": "expiring"}).context["cl"].result_list
    assert list(in_force) == [agreement]
    assert list(expiring) == []
    assert agreement.status() == Agreement.Status.IN_FORCE


@pytest.mark.django_db
def test_status_filter_is_offered_with_the_warning_window_and_keeps_the_marker(admin_client, settings):
    settings.PORTAL_EXPIRY_WARNING_DAYS = 90
    AgreementFactory.create(title="Accord avec Liège", partners=[InstitutionFactory.create()])
    response = admin_client.get(changelist_url())
    page = response.content.decode()
    assert "expire dans les 90 jours" in page
    assert 'href="?status=expiring"' in page
    assert '<span class="agreement-status agreement-status--in_force">en vigueur</span>' in page


@pytest.mark.django_db
def test_an_unknown_status_value_filters_nothing_out(admin_client):
    AgreementFactory.create()
    response = admin_client.get(changelist_url(), {"status": "nimportequoi"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


# --- agreements_expiring -------------------------------------------------------------------


@pytest.fixture
def around_the_threshold(db):
    """In force and ending this academic year, in force and ending next year, and others that
    end this year but are not in force (so never "expiring")."""
    year = this_year()
    partner = InstitutionFactory.create(name="Haute École de Liège")
    return {
        "this_year": AgreementFactory.create(
            title="Accord Liège", first_academic_year=year - 2, last_academic_year=year, partners=[partner]
        ),
        "next_year": AgreementFactory.create(
            title="Accord Namur",
            first_academic_year=year - 1,
            last_academic_year=year + 1,
            partners=[partner],
        ),
        "draft": AgreementFactory.create(
            title="Brouillon", is_draft=True, last_academic_year=year, partners=[partner]
        ),
        "terminated": AgreementFactory.create(
            title="Résilié", is_terminated=True, last_academic_year=year, partners=[partner]
        ),
        "expired": AgreementFactory.create(
            title="Expiré", first_academic_year=year - 3, last_academic_year=year - 1, partners=[partner]
        ),
    }


@pytest.mark.django_db
def test_expiring_prints_the_agreement_ending_on_the_threshold_day(around_the_threshold):
    days = days_until_end_of(this_year())
    stdout, stderr = run_expiring("--days", str(days))
    assert stdout.splitlines() == [expected_line(around_the_threshold["this_year"])]
    assert stderr == ""
    assert "Accord Liège — fin le 31/08/" in stdout
    assert "Haute École de Liège, IRTS Normandie-Caen" in stdout


@pytest.mark.django_db
def test_expiring_prints_nothing_one_day_before_the_threshold(around_the_threshold):
    days = days_until_end_of(this_year()) - 1
    assert run_expiring("--days", str(days)) == ("", "")


@pytest.mark.django_db
def test_expiring_with_a_window_over_a_year_prints_both_in_force_agreements_by_end_date(around_the_threshold):
    days = days_until_end_of(this_year() + 1)
    stdout, _stderr = run_expiring("--days", str(days))
    assert stdout.splitlines() == [
        expected_line(around_the_threshold["this_year"]),
        expected_line(around_the_threshold["next_year"]),
    ]


@pytest.mark.django_db
def test_expiring_90_days_prints_exactly_the_agreements_ending_within_90_days(around_the_threshold):
    """The default window, whatever today's date: only an in-force agreement whose 31 August is
    at most 90 days away is printed."""
    today = timezone.localdate()
    expected = [
        expected_line(agreement)
        for agreement in around_the_threshold.values()
        if agreement.status(today) not in (Agreement.Status.DRAFT, Agreement.Status.TERMINATED)
        and agreement.ends_on
        and today <= agreement.ends_on <= today + datetime.timedelta(days=90)
    ]
    stdout, _stderr = run_expiring("--days", "90")
    assert stdout.splitlines() == expected
    assert run_expiring() == run_expiring("--days", "90")  # 90 is the default


@pytest.mark.django_db
def test_expiring_prints_and_sends_nothing_when_nothing_expires(around_the_threshold, mailoutbox):
    ri = Group.objects.get_or_create(name=RI_GROUP)[0]
    ri.user_set.add(_user("ri", "ri@example.org"))
    around_the_threshold["this_year"].delete()
    days = str(days_until_end_of(this_year()))
    assert run_expiring("--days", days) == ("", "")
    assert run_expiring("--days", days, "--email") == ("", "")
    assert mailoutbox == []


@pytest.mark.django_db
def test_expiring_prints_nothing_on_the_seed_content(mailoutbox):
    call_command("load_seed", stdout=StringIO())
    assert Agreement.objects.exists()
    # The seed records no agreement's end: nothing can expire.
    assert not Agreement.objects.filter(last_academic_year__isnull=False).exists()
    assert run_expiring("--days", "90") == ("", "")
    assert run_expiring("--days", "3650", "--email") == ("", "")
    assert mailoutbox == []


@pytest.mark.django_db
def test_email_sends_one_digest_to_the_active_ri_members_with_an_address(around_the_threshold, mailoutbox):
    ri = Group.objects.get_or_create(name=RI_GROUP)[0]
    other = Group.objects.create(name="Autre service")
    ri.user_set.add(
        _user("alix", "alix@example.org", is_staff=True),
        _user("bea", "bea@example.org"),
        _user("parti", "parti@example.org", is_active=False),
        _user("sansadresse", ""),
    )
    other.user_set.add(_user("autre", "autre@example.org", is_staff=True))
    _user("admin", "admin@example.org", is_staff=True, is_superuser=True)

    days = str(days_until_end_of(this_year()))
    stdout, stderr = run_expiring("--days", days, "--email")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == ["alix@example.org", "bea@example.org"]
    assert message.subject == f"1 accord arrive à échéance dans les {days} jours"
    expiring = around_the_threshold["this_year"]
    end = f"{expiring.ends_on:%d/%m/%Y}"
    assert "Bonjour," in message.body
    assert (
        f"- {expiring.title}\n  Fin le {end}\n  Signataires : Haute École de Liège, IRTS Normandie-Caen"
        in (message.body)
    )
    change_url = reverse("admin:partnerships_agreement_change", args=[expiring.pk])
    assert change_url in message.body
    assert "Accord Namur" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="http://testserver{change_url}">{expiring.title}</a>' in html
    assert f"<td>{end}</td>" in html

    assert stdout.splitlines() == [
        expected_line(expiring),
        "Récapitulatif envoyé par e-mail à 2 personne(s) du groupe « Relations internationales ».",
    ]
    assert stderr == ""


@pytest.mark.django_db
def test_email_without_the_group_says_so_on_stderr_and_still_succeeds(around_the_threshold, mailoutbox):
    Group.objects.filter(name=RI_GROUP).delete()
    stdout, stderr = run_expiring("--days", str(days_until_end_of(this_year())), "--email")
    assert stdout.splitlines() == [expected_line(around_the_threshold["this_year"])]
    assert stderr.strip() == "Le groupe « Relations internationales » n’existe pas : aucun e-mail envoyé."
    assert mailoutbox == []


@pytest.mark.django_db
def test_email_without_a_member_to_write_to_says_so_on_stderr(around_the_threshold, mailoutbox):
    ri = Group.objects.get_or_create(name=RI_GROUP)[0]
    ri.user_set.set([_user("sansadresse", ""), _user("parti", "parti@example.org", is_active=False)])
    _stdout, stderr = run_expiring("--days", str(days_until_end_of(this_year())), "--email")
    assert "n’a aucun membre actif avec une adresse e-mail" in stderr
    assert mailoutbox == []


# --- Renewal -------------------------------------------------------------------------------


@pytest.fixture
def predecessor(db):
    own, liege, namur = (
        OwnInstitutionFactory.create(),
        InstitutionFactory.create(name="Liège"),
        InstitutionFactory.create(name="Namur"),
    )
    agreement = AgreementFactory.create(
        title="Accord Erasmus+ Liège–Namur",
        slug="accord-erasmus-liege-namur",
        kind=Agreement.Kind.BILATERAL,
        network=NetworkFactory.create(),
        scope="Échanges d’étudiants et de formateurs.",
        signed_on=datetime.date(2024, 3, 12),
        signed_year=2024,
        first_academic_year=2024,
        last_academic_year=2028,
        staff_notes="Contact : Mme Dupont, à relancer.",
        partners=[liege, namur],
    )
    agreement.programmes.add(ProgrammeFactory.create(), ProgrammeFactory.create())
    MobilityTermFactory.create(
        agreement=agreement,
        mobility_type=MobilityTerm.MobilityType.STUDENT_STUDIES,
        direction=MobilityTerm.Direction.OUTGOING,
        places_per_year=3,
        duration_months=5,
        isced_code="0923",
        eqf_level=6,
        language="en",
        cefr_level="B2",
    )
    MobilityTermFactory.create(
        agreement=agreement,
        mobility_type=MobilityTerm.MobilityType.STAFF_TEACHING,
        direction=MobilityTerm.Direction.INCOMING,
        places_per_year=1,
        duration_months=None,
        duration_days=5,
        language="fr",
        cefr_level="",
    )
    agreement.document.save("signe.pdf", ContentFile(PDF_BYTES))
    assert {own, liege, namur} == set(agreement.parties.all())
    return agreement


def term_values(agreement: Agreement) -> list[dict]:
    return [
        {
            field.name: getattr(term, field.name)
            for field in MobilityTerm._meta.concrete_fields
            if field.name not in ("id", "agreement")
        }
        for term in agreement.mobility_terms.order_by("mobility_type", "direction")
    ]


@pytest.mark.django_db
def test_renew_creates_a_draft_for_the_next_period_with_everything_copied(predecessor, admin_user):
    successor = services.agreement_renew(agreement=predecessor, actor=admin_user)
    successor.refresh_from_db()

    assert successor.pk != predecessor.pk
    assert successor.renews == predecessor
    assert successor.is_draft
    assert not successor.is_terminated
    assert (successor.first_academic_year, successor.last_academic_year) == (2029, 2033)
    assert successor.title == "Accord Erasmus+ Liège–Namur (renouvellement 2029-2030 – 2033-2034)"
    assert successor.slug == "accord-erasmus-liege-namur-renouvellement-2029"
    assert (successor.kind, successor.network, successor.scope) == (
        predecessor.kind,
        predecessor.network,
        predecessor.scope,
    )
    assert set(successor.parties.all()) == set(predecessor.parties.all())
    assert successor.party_links.count() == 3
    assert set(successor.programmes.all()) == set(predecessor.programmes.all())
    assert term_values(successor) == term_values(predecessor)
    assert len(term_values(successor)) == 2
    # What belongs to the signed text stays with it.
    assert not successor.document
    assert successor.staff_notes == ""
    assert successor.signed_on is None
    assert successor.signed_year is None
    # The predecessor is untouched.
    predecessor.refresh_from_db()
    assert predecessor.mobility_terms.count() == 2
    assert predecessor.renews is None
    # The audit trail says who did it.
    assert successor.audit_trail.first().history_user == admin_user
    term = successor.mobility_terms.first()
    assert term is not None
    assert term.audit_trail.first().history_user == admin_user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("years", "renewed_years", "suffix"),
    [
        ((2022, 2022), (2023, 2023), "(renouvellement 2023-2024 – 2023-2024)"),
        ((None, 2027), (2028, None), "(renouvellement depuis 2028-2029)"),
        ((2020, None), (None, None), "(renouvellement)"),
        ((None, None), (None, None), "(renouvellement)"),
    ],
)
def test_renewal_period_keeps_the_length_or_stays_empty_when_unknown(years, renewed_years, suffix):
    agreement = AgreementFactory.create(
        title="Accord", slug="accord", first_academic_year=years[0], last_academic_year=years[1]
    )
    successor = services.agreement_renew(agreement=agreement, actor=None)
    assert (successor.first_academic_year, successor.last_academic_year) == renewed_years
    assert successor.title == f"Accord {suffix}"


@pytest.mark.django_db
def test_renewing_a_renewal_does_not_pile_up_suffixes(predecessor):
    first = services.agreement_renew(agreement=predecessor, actor=None)
    second = services.agreement_renew(agreement=first, actor=None)
    assert second.title == "Accord Erasmus+ Liège–Namur (renouvellement 2034-2035 – 2038-2039)"
    assert second.slug == "accord-erasmus-liege-namur-renouvellement-2034"
    assert second.renews == first


@pytest.mark.django_db
def test_renew_refuses_an_agreement_that_already_has_a_successor(predecessor):
    successor = services.agreement_renew(agreement=predecessor, actor=None)
    with pytest.raises(services.RenewalRefused) as refusal:
        services.agreement_renew(agreement=predecessor, actor=None)
    assert refusal.value.successor == successor
    assert "a déjà un renouvellement" in refusal.value.messages[0]
    assert Agreement.objects.filter(renews=predecessor).count() == 1
    assert Agreement.objects.count() == 2


def renew_action(client, *agreements):
    return client.post(
        changelist_url(),
        {"action": "renew", "_selected_action": [agreement.pk for agreement in agreements]},
        follow=True,
    )


def message_texts(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
def test_renew_action_reports_the_draft_with_a_link_then_refuses_a_second_time(admin_client, predecessor):
    response = renew_action(admin_client, predecessor)
    assert response.status_code == 200
    successor = Agreement.objects.get(renews=predecessor)
    change_url = reverse("admin:partnerships_agreement_change", args=[successor.pk])
    [message] = message_texts(response)
    assert message.startswith("1 brouillon de renouvellement créé : ")
    assert f'<a href="{change_url}">{successor.title}</a>' in message
    assert f'<a href="{change_url}">{successor.title}</a>' in response.content.decode()

    again = renew_action(admin_client, predecessor)
    assert again.status_code == 200
    [refusal] = message_texts(again)
    assert refusal.startswith(f"« {predecessor.title} » a déjà un renouvellement")
    assert f'<a href="{change_url}">' in refusal
    assert Agreement.objects.filter(renews=predecessor).count() == 1


@pytest.mark.django_db
def test_renew_action_renews_several_and_refuses_only_those_already_renewed(admin_client):
    renewed, fresh = (
        AgreementFactory.create(title="A renouvelé"),
        AgreementFactory.create(title="B à renouveler"),
    )
    services.agreement_renew(agreement=renewed, actor=None)
    response = renew_action(admin_client, renewed, fresh)
    texts = message_texts(response)
    assert len(texts) == 2
    assert any(text.startswith("« A renouvelé » a déjà un renouvellement") for text in texts)
    assert any(text.startswith("1 brouillon de renouvellement créé") for text in texts)
    assert Agreement.objects.filter(renews=fresh, is_draft=True).count() == 1


@pytest.mark.django_db
def test_renewal_links_show_on_both_change_pages(admin_client, predecessor):
    successor = services.agreement_renew(agreement=predecessor, actor=None)
    before = admin_client.get(reverse("admin:partnerships_agreement_change", args=[predecessor.pk]))
    after = admin_client.get(reverse("admin:partnerships_agreement_change", args=[successor.pk]))
    successor_url = reverse("admin:partnerships_agreement_change", args=[successor.pk])
    predecessor_url = reverse("admin:partnerships_agreement_change", args=[predecessor.pk])
    assert f'Renouvelé par : <a href="{successor_url}">' in before.content.decode()
    assert f'Renouvelle : <a href="{predecessor_url}">' in after.content.decode()


@pytest.mark.django_db
def test_renew_action_needs_the_add_permission(client, django_user_model):
    user = django_user_model.objects.create_user("lecteur", password="x" * 16, is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_agreement", content_type__app_label="partnerships"),
        Permission.objects.get(codename="change_agreement", content_type__app_label="partnerships"),
    )
    client.force_login(user)
    agreement = AgreementFactory.create()
    page = client.get(changelist_url())
    assert 'value="renew"' not in page.content.decode()
    response = client.post(changelist_url(), {"action": "renew", "_selected_action": [agreement.pk]})
    assert response.status_code in (200, 302)
    assert not Agreement.objects.filter(renews=agreement).exists()
    assert not any("renouvellement créé" in str(m) for m in get_messages(response.wsgi_request))
