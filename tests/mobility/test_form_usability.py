"""The application form asks only what it must, the same way everywhere, and says how to fix errors."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from mobility.models import Application
from partnerships.models import Programme
from tests.factories import CallDestinationFactory, CallFactory
from tests.mobility.helpers import open_call_with_destinations, pdf_file
from tests.mobility.test_public import form_page, page_text, valid_post

pytestmark = pytest.mark.django_db

EMPTY_OPTION = '<option value="" selected>— Choisissez —</option>'


def apply_url(call) -> str:
    return f"/fr/mobilite/appels/{call.slug}/candidater/"


def form_html(html: str) -> str:
    """The application form only (the page header holds another form)."""
    match = re.search(r'<form method="post" enctype="multipart/form-data".*?</form>', html, flags=re.S)
    assert match is not None
    return match.group(0)


def summary_items(html: str) -> list[tuple[str, str]]:
    """(href, text) of each link of the error summary, in the order shown."""
    match = re.search(r'<div class="error-summary".*?</div>', html, flags=re.S)
    assert match is not None
    return re.findall(r'<li><a href="([^"]+)">(.*?)</a></li>', match.group(0))


class Controls(HTMLParser):
    """Each form control of a page, with whether it is required and how its label is marked."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.labels: dict[str, str] = {}  # for= id -> label's markup
        self.legends: list[str] = []
        self._label_for: str | None = None
        self._in_legend = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden",):
            self.controls.append(attributes)
        if tag == "label":
            self._label_for, self._text = attributes.get("for"), []
        if tag == "legend":
            self._in_legend, self._text = True, []
        if tag == "span" and self._text is not None and "asteriskField" in (attributes.get("class") or ""):
            self._text.append("[*]")

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "label" and self._label_for:
            self.labels[self._label_for] = "".join(self._text)
            self._label_for = None
        if tag == "legend" and self._in_legend:
            self.legends.append("".join(self._text))
            self._in_legend = False


def parse_controls(html: str) -> Controls:
    parser = Controls()
    parser.feed(form_html(html))
    return parser


# --- nothing chosen for the person; one possible answer stated, not asked ----------------------


def test_no_mobility_type_is_chosen_in_advance(client):
    call, _destinations = open_call_with_destinations()
    html, _key = form_page(client, call)
    select = re.search(r'<select name="mobility_type".*?</select>', html, flags=re.S)
    assert select is not None
    assert EMPTY_OPTION in select.group(0)
    assert select.group(0).count("selected") == 1


def test_radios_of_a_call_open_to_everyone_start_unticked(client):
    call, _destinations = open_call_with_destinations(audience="everyone")
    html, _key = form_page(client, call)
    radios = re.findall(r'<input type="radio"[^>]*name="category"[^>]*>', html)
    assert len(radios) == 5
    assert not any("checked" in radio for radio in radios)


def test_a_single_mobility_type_is_stated_and_kept_whatever_is_posted(client):
    call, destinations = open_call_with_destinations(mobility_types=["student_traineeship"])
    html, key = form_page(client, call)
    text = page_text_of(html)
    assert 'name="mobility_type"' not in html
    assert '<span class="fixed-choice__label">Type de mobilité :</span> Stage (étudiants)' in text
    response = client.post(
        apply_url(call), valid_post(call, destinations, key, mobility_type="student_studies")
    )
    assert response.status_code == 302
    assert Application.objects.get().mobility_type == "student_traineeship"


def test_a_students_call_states_the_category_and_ignores_another_posted_one(client):
    call, destinations = open_call_with_destinations()
    html, key = form_page(client, call)
    assert 'name="category"' not in html
    assert '<span class="fixed-choice__label">Vous êtes :</span> Étudiant ou étudiante' in page_text_of(html)
    data = valid_post(call, destinations, key)
    data.pop("category")
    assert client.post(apply_url(call), {**data, "category": "manager"}).status_code == 302
    assert Application.objects.get().category == "student"


def test_a_single_destination_is_stated_and_no_second_choice_is_asked(client):
    call, destinations = open_call_with_destinations(count=1)
    html, key = form_page(client, call)
    assert 'name="choice_1"' not in html
    assert 'name="choice_2"' not in html
    assert 'name="choice_3"' not in html
    assert f"Destination :</span> {destinations[0].institution.name}" in page_text_of(html)
    data = valid_post(call, destinations * 2, key, choice_2=None, choice_3=None)
    data.pop("choice_1")
    assert client.post(apply_url(call), data).status_code == 302
    assert [choice.destination for choice in Application.objects.get().choices.all()] == destinations


def test_two_destinations_ask_for_two_choices_only(client):
    call, _destinations = open_call_with_destinations(count=2)
    html, _key = form_page(client, call)
    assert 'name="choice_1"' in html
    assert 'name="choice_2"' in html
    assert 'name="choice_3"' not in html


def test_an_invalid_category_on_a_call_open_to_everyone_says_what_to_do(client):
    call, destinations = open_call_with_destinations(audience="everyone")
    _html, key = form_page(client, call)
    response = client.post(apply_url(call), valid_post(call, destinations, key, category="astronaut"))
    html = page_text(response)
    assert ("#id_category_0", "Choisissez l’une des réponses proposées.") in summary_items(html)
    assert not Application.objects.exists()


def page_text_of(html: str) -> str:
    return html.replace("\u202f", " ")


# --- one style for empty choices, one way of marking required fields ---------------------------


@pytest.mark.parametrize("audience", ["students", "everyone"])
def test_every_list_opens_on_the_same_empty_choice(client, audience):
    call, _destinations = open_call_with_destinations(audience=audience)
    html, _key = form_page(client, call)
    selects = re.findall(r"<select .*?</select>", form_html(html), flags=re.S)
    assert len(selects) >= 8
    for select in selects:
        first_option = re.search(r"<option[^>]*>[^<]*</option>", select)
        assert first_option is not None
        assert first_option.group(0) == EMPTY_OPTION, select[:80]


@pytest.mark.parametrize("audience", ["students", "everyone"])
def test_required_fields_and_only_they_carry_the_asterisk(client, audience):
    call, _destinations = open_call_with_destinations(audience=audience)
    html, _key = form_page(client, call)
    assert "Les champs marqués d’un astérisque (*) sont obligatoires." in page_text_of(html)
    assert "facultatif" not in form_html(html)
    parsed = parse_controls(html)
    radio_groups = set()
    for control in parsed.controls:
        if control.get("name") == "website":  # the robots' trap, hidden from people
            continue
        if control.get("type") == "radio":
            radio_groups.add((control["name"], "required" in control))
            continue
        label = parsed.labels[control["id"]]
        marked = "[*]" in label
        assert marked == ("required" in control), (control["name"], label)
    # A group of radios is marked on its legend, like a field on its label.
    for _name, required in radio_groups:
        assert required
        assert any("Vous êtes[*]" in " ".join(legend.split()) for legend in parsed.legends)
    assert '<span class="asteriskField" aria-hidden="true">*</span>' in html
    assert '<span class="asteriskField">*</span>' not in html


def test_study_fields_of_a_mixed_call_say_they_are_required_of_students(client):
    call, _destinations = open_call_with_destinations(audience="everyone")
    html, _key = form_page(client, call)
    assert html.count("Obligatoire pour les étudiants et étudiantes.") == 2


def test_programmes_are_listed_code_first_for_type_ahead(client):
    Programme.objects.create(code="DEME", name="Diplôme d’État de moniteur éducateur")
    Programme.objects.create(code="CAFERUIS", name="Certificat d’aptitude aux fonctions d’encadrement")
    call, _destinations = open_call_with_destinations()
    html, _key = form_page(client, call)
    select = re.search(r'<select name="programme".*?</select>', html, flags=re.S)
    assert select is not None
    labels = re.findall(r'<option value="\d+">([^<]+)</option>', select.group(0))
    assert labels == [
        "CAFERUIS — Certificat d’aptitude aux fonctions d’encadrement",
        "DEME — Diplôme d’État de moniteur éducateur",
    ]


# --- errors: in the order of the page, saying what to do, linked to their field ---------------

EXPECTED_EMPTY_FORM_ERRORS = [
    ("#id_given_names", "Indiquez votre ou vos prénoms."),
    ("#id_family_name", "Indiquez votre nom de famille."),
    ("#id_email", "Indiquez votre adresse électronique."),
    ("#id_category_0", "Choisissez ce qui vous décrit."),
    ("#id_mobility_type", "Choisissez un type de mobilité."),
    ("#id_choice_1", "Choisissez une première destination."),
    ("#id_wished_start", "Indiquez la date de début souhaitée."),
    ("#id_wished_end", "Indiquez la date de fin souhaitée."),
    ("#id_motivation", "Expliquez votre motivation."),
    ("#id_language_1", "Indiquez une langue que vous pratiquez."),
    ("#id_level_1", "Indiquez votre niveau dans cette langue."),
    ("#id_document_cv", "Curriculum vitae : Joignez ce fichier."),
    ("#id_document_motivation_letter", "Lettre de motivation : Joignez ce fichier."),
    (
        "#id_consent",
        "Pour envoyer votre candidature, cochez la case qui accepte le traitement de vos données personnelles.",
    ),
]


def test_an_empty_form_lists_what_to_do_in_the_order_of_the_page(client):
    call, _destinations = open_call_with_destinations(audience="everyone")
    _html, key = form_page(client, call)
    response = client.post(apply_url(call), {"submission_key": key})
    html = page_text(response)
    items = summary_items(html)
    assert items == EXPECTED_EMPTY_FORM_ERRORS
    # Each link leads to a field of the page, and the summary follows the page's order.
    form = form_html(html)
    positions = [form.index(f'id="{href[1:]}"') for href, _message in items]
    assert positions == sorted(positions)
    assert "Le formulaire contient 14 erreurs" in html
    assert "Ce champ est obligatoire" not in html
    assert not Application.objects.exists()


def test_the_consent_error_is_one_sentence_said_once_in_the_summary(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    data = valid_post(call, destinations, key)
    data.pop("consent")
    html = page_text(client.post(apply_url(call), data))
    consent_message = EXPECTED_EMPTY_FORM_ERRORS[-1][1]
    assert summary_items(html) == [("#id_consent", consent_message)]
    summary = re.search(r'<div class="error-summary".*?</div>', html, flags=re.S)
    assert summary is not None
    assert summary.group(0).count("<a ") == 1  # no link nested in the link
    assert html.count(consent_message) == 2  # in the summary and under the checkbox
    assert consent_message.count(".") == 1


def test_the_english_form_says_what_to_do_in_english(client):
    call, _destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    response = client.post(f"/en/mobility/calls/{call.slug}/apply/", {"submission_key": key})
    items = dict(summary_items(response.content.decode()))
    assert items["#id_family_name"] == "Enter your family name."
    assert items["#id_mobility_type"] == "Choose a type of mobility."
    assert items["#id_document_cv"] == "Curriculum vitae: Attach this file."
    assert items["#id_consent"] == (
        "To send your application, tick the box that accepts the processing of your personal data."
    )


def test_a_refused_document_names_itself_and_says_what_to_do(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    empty = pdf_file("vide.pdf", b"")
    html = page_text(client.post(apply_url(call), valid_post(call, destinations, key, document_cv=empty)))
    assert summary_items(html) == [
        ("#id_document_cv", "Curriculum vitae : Le fichier soumis est vide. Choisissez un autre fichier.")
    ]


def test_a_level_without_its_language_is_pointed_out(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    data = valid_post(call, destinations, key, language_2="")
    html = page_text(client.post(apply_url(call), data))
    assert summary_items(html) == [("#id_language_2", "Indiquez l’autre langue, ou laissez son niveau vide.")]


# --- the files notice only for those who had chosen files -------------------------------------

FILES_NOTICES = (
    "Les fichiers choisis n’ont pas été conservés : choisissez-les à nouveau.",
    "Choisissez à nouveau vos fichiers : ceux de votre envoi précédent n’ont pas été conservés.",
)


def test_no_files_notice_when_no_file_was_chosen(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    data = valid_post(
        call, destinations, key, family_name="", document_cv=None, document_motivation_letter=None
    )
    html = page_text(client.post(apply_url(call), data))
    assert 'class="error-summary"' in html
    for notice in FILES_NOTICES:
        assert notice not in html


def test_files_notice_when_files_were_chosen(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    html = page_text(client.post(apply_url(call), valid_post(call, destinations, key, family_name="")))
    for notice in FILES_NOTICES:
        assert html.count(notice) == 1


def test_the_form_page_before_any_submission_has_no_files_notice(client):
    call, _destinations = open_call_with_destinations()
    html, _key = form_page(client, call)
    for notice in FILES_NOTICES:
        assert notice not in page_text_of(html)


# --- dates: one field each, the typed format accepted, a message that gives the format ---------


def test_each_date_is_one_date_input(client):
    call, _destinations = open_call_with_destinations()
    html, _key = form_page(client, call)
    for name in ("wished_start", "wished_end"):
        inputs = re.findall(rf'<[^>]+name="{name}[^"]*"[^>]*>', html)
        assert len(inputs) == 1
        assert 'type="date"' in inputs[0]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_date_typed_as_day_month_year_is_understood(client, language):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    start = timezone.localdate() + datetime.timedelta(days=100)
    end = start + datetime.timedelta(days=40)
    url = apply_url(call) if language == "fr" else f"/en/mobility/calls/{call.slug}/apply/"
    data = valid_post(
        call, destinations, key, wished_start=start.strftime("%d/%m/%Y"), wished_end=end.strftime("%d/%m/%Y")
    )
    assert client.post(url, data).status_code == 302
    application = Application.objects.get()
    assert (application.wished_start, application.wished_end) == (start, end)


def test_a_date_in_another_format_gets_the_expected_format(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    html = page_text(client.post(apply_url(call), valid_post(call, destinations, key, wished_start="demain")))
    assert summary_items(html) == [
        ("#id_wished_start", "Indiquez la date de début au format jj/mm/aaaa, par exemple 15/09/2027.")
    ]
    assert 'value="demain"' in html  # what was typed is kept
    assert not Application.objects.exists()


def test_a_hand_made_post_without_its_key_gets_a_message_and_no_dead_link(client):
    call, destinations = open_call_with_destinations()
    data = valid_post(call, destinations, "")
    data.pop("submission_key")
    response = client.post(apply_url(call), data)
    html = page_text(response)
    assert response.status_code == 200
    assert "Votre envoi n’a pas pu être traité. Réessayez." in html
    assert 'href="#id_submission_key"' not in html
    assert not Application.objects.exists()


def test_a_call_with_more_destinations_offers_each_in_every_choice(client):
    call, destinations = open_call_with_destinations()
    other = CallDestinationFactory.create(call=CallFactory.create())
    html, _key = form_page(client, call)
    for name in ("choice_1", "choice_2", "choice_3"):
        select = re.search(rf'<select name="{name}".*?</select>', html, flags=re.S)
        assert select is not None
        assert select.group(0).count("<option") == len(destinations) + 1
        assert other.institution.name not in select.group(0)


def test_an_incoming_call_asks_for_the_home_institution_instead_of_destinations(client):
    call, destinations = open_call_with_destinations(direction="incoming", audience="everyone")
    html, key = form_page(client, call)
    assert 'name="choice_1"' not in html
    assert 'name="home_institution"' in html
    data = valid_post(call, destinations, key, choice_1=None, choice_2=None, home_institution="")
    html = page_text(client.post(apply_url(call), data))
    assert summary_items(html) == [
        ("#id_home_institution", "Indiquez l’établissement où vous étudiez ou travaillez.")
    ]


# --- the pages after the form: one main heading each --------------------------------------------


def test_confirmation_follow_up_and_withdrawal_pages_have_one_main_heading(client):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    response = client.post(apply_url(call), valid_post(call, destinations, key))
    application = Application.objects.get()
    follow_up = application.get_follow_up_url()
    for url in (response["Location"], follow_up, follow_up + "retrait/"):
        page = client.get(url)
        assert page.status_code == 200
        assert page.content.decode().count("<h1") == 1, url
