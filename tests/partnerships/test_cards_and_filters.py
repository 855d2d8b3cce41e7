"""Partner cards show what is known, once say what is not; the index's filters never lead nowhere."""

import re
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image

from partnerships.directory import PartnerSearch, partner_directory, partner_facets
from partnerships.models import Institution, MobilityTerm, Network, NetworkMembership, Programme
from partnerships.monograms import PALETTE_SIZE, initials_of, monogram_of
from partnerships.selectors import PARTNERS_PER_PAGE, destinations
from tests.factories import (
    AgreementFactory,
    DestinationFactory,
    InstitutionFactory,
    MobilityTermFactory,
    NetworkMembershipFactory,
    OwnInstitutionFactory,
)
from tests.partnerships.test_pages import forget_cached_pages, make_partners

UNKNOWN_MARKERS = ["non précisé", "à préciser", "???", "Aucun accord en vigueur publié"]


def html_of(response) -> str:
    """The page's HTML with French narrow no-break spaces read as plain spaces."""
    assert response.status_code == 200
    return response.content.decode().replace("\u202f", " ")


def cards(html: str) -> dict[str, str]:
    """Each partner card's HTML, by the institution's name."""
    found = {}
    for card in re.findall(r'<li class="partner">(.*?)</li>\s*(?=<li class="partner">|</ul>)', html, re.S):
        name = re.search(r'<h3 class="partner__name"><a href="[^"]+">([^<]+)</a>', card)
        assert name, card
        found[unescape(name.group(1))] = card
    return found


def option_counts(response, field: str) -> dict[str, int]:
    """The options offered by one filter of the index, with the count each one shows."""
    counts = {}
    for value, label in response.context["form"].fields[field].choices:
        if value == "":
            continue
        match = re.fullmatch(r".+ \((\d+)\)", str(label))
        assert match, label
        counts[str(value)] = int(match.group(1))
    return counts


# 1. Cards and pages show what is known, and say once what is not.


def test_no_card_of_the_index_repeats_what_is_unknown(client, seeded):
    html = html_of(client.get("/fr/partenaires/"))
    found = cards(html)
    assert len(found) == 16
    for name, card in found.items():
        for marker in UNKNOWN_MARKERS:
            assert marker not in card, (name, marker)
    # Said once for the whole page, as a sentence.
    note = "Quand une fiche n’indique pas les formations ou les mobilités couvertes, c’est qu’elles restent à préciser."
    assert html.count(note) == 1
    assert "non précisées" not in html


def test_a_card_shows_only_the_fields_that_are_known(client, seeded):
    found = cards(html_of(client.get("/fr/partenaires/")))
    parma = found["Université de Parme"]
    assert "<dt>Formations</dt>" in parma
    assert ">DEASS</abbr>, <abbr" in parma
    assert "<dt>Mobilités</dt>" not in parma  # the agreement names no mobility
    montreal = found["Centre jeunesse de Montréal – Institut universitaire"]
    assert "<dt>Formations</dt>" not in montreal
    assert "stage (étudiants) ; formation (personnels)" in montreal
    # An agreement about which nothing else is known at least says what kind it is.
    helha = found["Haute École Louvain en Hainaut"]
    assert "<dt>Accord</dt>" in helha
    assert "Accord interinstitutionnel Erasmus+" in helha


def test_laval_card_presents_its_role_in_the_france_quebec_network(client, seeded):
    laval = cards(html_of(client.get("/fr/partenaires/")))["Université Laval"]
    assert "<dt>Réseau</dt>" in laval
    assert "France–Québec : partenaire universitaire" in laval
    assert "Premier partenaire québécois de l’IRTS Normandie-Caen." in laval
    assert "Aucun accord" not in laval


def test_a_network_member_without_agreement_shows_its_role_and_note(client, db):
    network = Network.objects.create(name="Réseau des Alpes", short_name="Alpes", slug="alpes", summary="…")
    member = InstitutionFactory.create(name="Hochschule Luzern", slug="hslu", country="CH")
    NetworkMembership.objects.create(
        network=network,
        institution=member,
        role="founder",
        joined_year=2015,
        note="Accueille nos formateurs.",
    )
    card = cards(html_of(client.get("/fr/partenaires/")))["Hochschule Luzern"]
    assert "Alpes : membre fondateur depuis 2015" in card
    assert "Accueille nos formateurs." in card


def test_a_partner_with_nothing_known_but_its_name_has_a_plain_card_and_no_note(client, db):
    InstitutionFactory.create(name="Hogeschool Gent", slug="hogent", country="BE", city="Gand")
    html = html_of(client.get("/fr/partenaires/"))
    card = cards(html)["Hogeschool Gent"]
    assert "<dl" not in card
    assert "Université · Gand · Belgique" in card
    assert "restent à préciser" in html  # its programmes and mobilities are not known: said once


def test_no_note_when_every_card_is_complete(client, db):
    partner = InstitutionFactory.create(name="Hogeschool Gent", slug="hogent", country="BE")
    agreement = AgreementFactory.create(partners=[partner])
    agreement.programmes.add(
        Programme.objects.create(code="DEES", name="Diplôme d’État d’éducateur spécialisé")
    )
    MobilityTermFactory.create(agreement=agreement)
    html = html_of(client.get("/fr/partenaires/"))
    assert "à préciser" not in html
    assert 'class="to-confirm"' not in html
    destination = DestinationFactory.create()
    assert "à préciser" not in html_of(client.get(destination.get_absolute_url()))


def test_portugal_says_in_a_sentence_that_its_partner_is_not_named(client, seeded):
    index = html_of(client.get("/fr/partenaires/"))
    portugal = index.split(">Portugal</a>")[1].split("</section>")[0]
    assert (
        "Un partenariat ERASMUS est en place ; l’établissement partenaire n’est pas encore nommé publiquement."
        in portugal
    )
    assert 'class="partner"' not in portugal
    page = html_of(client.get("/fr/partenaires/destinations/portugal/"))
    assert "L’établissement partenaire n’est pas encore nommé publiquement." in page
    assert 'href="/fr/contact/"' in page
    assert "Aucun établissement partenaire nommé" not in page


def test_destination_page_says_once_what_is_still_to_confirm(client, seeded):
    html = html_of(client.get("/fr/partenaires/destinations/belgique/"))
    assert len(cards(html)) == 2
    assert html.count("restent à préciser") == 1
    assert "non précisé" not in html


def test_institution_page_leaves_out_unknown_fields_and_lists_them_in_one_sentence(client, seeded):
    html = html_of(client.get("/fr/partenaires/etablissements/centre-jeunesse-de-montreal/"))
    assert "non précisé" not in html
    assert "<dt>Période</dt>" not in html
    assert "<dt>Formations couvertes</dt>" not in html
    # Only the columns that some mobility fills in.
    assert '<th scope="col">Langue recommandée</th>' in html
    assert '<th scope="col">Places par an</th>' not in html
    assert '<th scope="col">Durée</th>' not in html
    assert (
        "À préciser pour cet accord : la période de l’accord, les formations couvertes, "
        "le nombre de places et la durée des mobilités." in html
    )
    assert html.count("À préciser") == 1


def test_institution_page_marks_a_cell_unknown_only_where_another_row_is_known(client, db):
    partner = InstitutionFactory.create(name="Hogeschool Gent", slug="hogent", country="BE")
    agreement = AgreementFactory.create(partners=[partner])
    agreement.programmes.add(
        Programme.objects.create(code="DEES", name="Diplôme d’État d’éducateur spécialisé")
    )
    MobilityTermFactory.create(agreement=agreement, places_per_year=3)
    MobilityTermFactory.create(
        agreement=agreement, direction=MobilityTerm.Direction.INCOMING, places_per_year=None
    )
    html = html_of(client.get(partner.get_absolute_url()))
    assert '<th scope="col">Places par an</th>' in html
    assert "<td>3</td>" in html
    assert '<td><span aria-hidden="true">—</span><span class="visually-hidden">à préciser</span></td>' in html
    assert "À préciser pour cet accord : le nombre de places." in html
    assert "<dt>Période</dt><dd>2024-2025 – 2029-2030</dd>" in html


def test_institution_page_of_a_fully_described_agreement_has_nothing_to_confirm(client, db):
    partner = InstitutionFactory.create(name="Hogeschool Gent", slug="hogent", country="BE")
    agreement = AgreementFactory.create(partners=[partner])
    agreement.programmes.add(
        Programme.objects.create(code="DEES", name="Diplôme d’État d’éducateur spécialisé")
    )
    MobilityTermFactory.create(agreement=agreement)
    html = html_of(client.get(partner.get_absolute_url()))
    assert "À préciser" not in html
    assert "à préciser" not in html


def test_laval_page_shows_its_network_role_before_saying_no_agreement_is_published(client, seeded):
    html = html_of(client.get("/fr/partenaires/etablissements/universite-laval/"))
    role = html.index("partenaire universitaire")
    assert html.index("Premier partenaire québécois de l’IRTS Normandie-Caen.</li>") > role
    assert html.index("Aucun accord en vigueur n’est publié avec cet établissement.") > role


def test_network_pages_say_once_which_agreements_do_not_list_their_programmes(client, seeded):
    erasmus = html_of(client.get("/fr/partenaires/reseaux/erasmus/"))
    assert "non précisées" not in erasmus
    assert (
        "Les formations couvertes restent à préciser pour : Accord ERASMUS avec la Haute École Louvain en Hainaut."
        in erasmus
    )
    assert "Formations : éducateurs spécialisés" in erasmus
    france_quebec = html_of(client.get("/fr/partenaires/reseaux/france-quebec/"))
    assert "Les formations couvertes par cet accord restent à préciser." in france_quebec
    assert "Formations :" not in france_quebec


# 2. Logos where staff uploaded one, a monogram elsewhere.


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Université de Parme", "UP"),
        ("Université Laval", "UL"),
        ("Centre jeunesse de l’Estrie", "CJE"),
        ("Centre jeunesse de la Montérégie", "CJM"),
        ("IRTS La Réunion", "IR"),
        ("IRTS Rhône-Alpes", "IRA"),
        ("Haute École Louvain en Hainaut", "HÉL"),
        ("Università degli Studi di Parma", "USP"),
        ("l'Institut des Hautes Études", "IHÉ"),
        ("de la", "DL"),  # only little words: they are all that is left
    ],
)
def test_monogram_initials_skip_articles_and_little_words(name, initials):
    assert initials_of(name) == initials


def test_monogram_colour_depends_on_the_name_alone_and_varies_between_names(seeded):
    names = list(Institution.objects.values_list("name", flat=True))
    assert all(monogram_of(name) == monogram_of(name) for name in names)
    classes = {monogram_of(name).palette_class for name in names}
    assert classes <= {f"monogram--{n}" for n in range(PALETTE_SIZE)}
    assert len(classes) >= 4


def contrast_with_white(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_every_monogram_colour_keeps_white_initials_readable():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    for n in range(PALETTE_SIZE):
        rule = re.search(rf"\.monogram--{n} \{{ background: (#[0-9a-fA-F]{{6}}); \}}", css)
        assert rule, f".monogram--{n} has no background colour"
        assert contrast_with_white(rule.group(1)) >= 4.5, rule.group(1)
    assert re.search(r"\.monogram \{[^}]*color: #fff;", css)


def test_cards_show_a_decorative_monogram_without_style_attribute(client, seeded):
    html = html_of(client.get("/fr/partenaires/"))
    laval = cards(html)["Université Laval"]
    expected = monogram_of("Université Laval")
    assert (
        f'<span class="monogram monogram--small {expected.palette_class}" aria-hidden="true">UL</span>'
        in laval
    )
    assert "style=" not in html


def png_logo(width: int = 120, height: int = 60) -> ContentFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (29, 63, 114)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="logo.png")


def test_an_uploaded_logo_replaces_the_monogram_with_an_empty_alt(client, db):
    partner = InstitutionFactory.create(name="Hogeschool Gent", slug="hogent", country="BE")
    partner.logo.save("logo.png", png_logo(), save=True)
    partner.refresh_from_db()
    card = cards(html_of(client.get("/fr/partenaires/")))["Hogeschool Gent"]
    assert (
        f'<img class="partner-logo partner-logo--small" src="{partner.logo.url}" alt="" width="120" height="60">'
        in card
    )
    assert "monogram" not in card
    page = html_of(client.get(partner.get_absolute_url()))
    assert f'src="{partner.logo.url}" alt=""' in page
    assert "Logo :" not in page
    assert "monogram" not in page


def test_institution_page_heads_with_its_monogram_next_to_the_name(client, seeded):
    html = html_of(client.get("/fr/partenaires/etablissements/universite-de-parme/"))
    heading = html.split('<div class="page-heading">')[1].split("</div>")[0]
    assert 'aria-hidden="true">UP</span>' in heading
    assert "<h1>Université de Parme</h1>" in heading


# 3. Filters without dead ends.


def test_each_filter_option_shows_how_many_partners_it_gives(client, seeded):
    response = client.get("/fr/partenaires/")
    assert option_counts(response, "destination") == {
        "quebec": 7,
        "france": 5,
        "belgique": 2,
        "allemagne": 1,
        "italie": 1,
    }
    assert option_counts(response, "kind") == {
        "social_work_institute": 5,
        "university": 3,
        "haute_ecole": 2,
        "child_protection": 6,
    }
    assert option_counts(response, "programme") == {"DEASS": 2, "DEES": 2}
    assert option_counts(response, "mobility") == {"student_traineeship": 11, "staff_training": 11}
    html = html_of(response)
    assert '<option value="belgique">Belgique (2)</option>' in html
    assert '<option value="haute_ecole">Haute école (2)</option>' in html
    assert '<option value="DEES">Diplôme d’État d’éducateur spécialisé (2)</option>' in html


def test_options_that_give_no_partner_are_not_offered(client, seeded):
    html = html_of(client.get("/fr/partenaires/"))
    assert 'value="portugal"' not in html  # a partnership, but no named partner to list
    assert 'value="other"' not in html
    assert 'value="student_studies"' not in html
    response = client.get("/fr/partenaires/", {"destination": "belgique"})
    assert option_counts(response, "kind") == {"haute_ecole": 2}
    assert option_counts(response, "programme") == {"DEES": 1}
    assert option_counts(response, "mobility") == {}


def rendered(client, path: str, query: dict):
    """The page rendered anew, with its template context: a page served whole has none."""
    forget_cached_pages()
    return client.get(path, query)


def test_every_offered_option_gives_the_number_of_partners_it_shows(client, seeded):
    for base in (
        {},
        {"q": "centre"},
        {"destination": "quebec"},
        {"programme": "DEES"},
        {"kind": "university"},
    ):
        response = rendered(client, "/fr/partenaires/", base)
        for field in ("destination", "kind", "programme", "mobility"):
            for value, count in option_counts(response, field).items():
                chosen = rendered(client, "/fr/partenaires/", {**base, field: value})
                directory = chosen.context["directory"]
                # A programme's count is of the partners known to cover it.
                listed = directory.confirmed_count if field == "programme" else directory.count
                assert listed == count, (base, field, value)
                assert count > 0


def test_a_chosen_option_stays_shown_even_when_it_gives_nothing(client, seeded):
    response = client.get("/fr/partenaires/", {"destination": "italie", "kind": "child_protection"})
    assert response.context["directory"].count == 0
    assert (
        '<option value="child_protection" selected>Organisme de protection de l’enfance (0)</option>'
        in html_of(response)
    )


def test_spelling_hint_only_when_text_was_typed(client, seeded):
    typed = html_of(client.get("/fr/partenaires/", {"q": "zanzibar"}))
    assert "Vérifiez l’orthographe" in typed
    assert "Retirez un filtre" not in typed
    filtered = html_of(client.get("/fr/partenaires/", {"destination": "italie", "kind": "child_protection"}))
    assert "Aucun partenaire ne correspond à votre recherche." in filtered
    assert "Vérifiez l’orthographe" not in filtered
    assert "Retirez un filtre : ils s’additionnent." in filtered


def test_programme_filter_lists_partners_of_unknown_coverage_after_the_confirmed_ones(client, seeded):
    response = client.get("/fr/partenaires/", {"programme": "DEES"})
    directory = response.context["directory"]
    confirmed = [i.name for group in directory.groups for i in group.institutions]
    to_confirm = [i.name for i in directory.to_confirm]
    assert confirmed == ["Haute École de Bruxelles – Institut Defré", "Université de Parme"]
    assert "Haute École Louvain en Hainaut" in to_confirm  # its agreement lists no programme
    assert "Université Laval" in to_confirm  # no agreement in force: nothing is known
    assert "Université Würzburg" not in to_confirm  # known to cover DEASS only
    assert len(to_confirm) == 13
    html = html_of(response)
    heading = "Formations couvertes à confirmer (13 partenaires)"
    assert (
        html.index("Université de Parme") < html.index(heading) < html.index("Haute École Louvain en Hainaut")
    )
    assert "2 partenaires" in html


@pytest.mark.django_db
def test_programme_filter_sorts_partners_by_what_their_agreements_say(client):
    own = OwnInstitutionFactory.create()
    dees = Programme.objects.create(code="DEES", name="Diplôme d’État d’éducateur spécialisé")
    deass = Programme.objects.create(code="DEASS", name="Diplôme d’État d’assistant de service social")
    covers, other, silent, partly, none = (
        InstitutionFactory.create(name=name, slug=name.lower(), country="BE")
        for name in ("Covers", "Other", "Silent", "Partly", "None")
    )
    AgreementFactory.create(partners=[covers]).programmes.add(dees)
    AgreementFactory.create(partners=[other]).programmes.add(deass)
    AgreementFactory.create(partners=[silent])
    AgreementFactory.create(partners=[partly]).programmes.add(deass)
    AgreementFactory.create(partners=[partly])  # a second agreement that does not say
    expired = AgreementFactory.create(partners=[none], first_academic_year=2001, last_academic_year=2002)
    expired.programmes.add(dees)  # no longer in force: says nothing of today
    assert own.is_own
    directory = client.get("/fr/partenaires/", {"programme": "DEES"}).context["directory"]
    assert [i.name for g in directory.groups for i in g.institutions] == ["Covers"]
    assert [i.name for i in directory.to_confirm] == ["None", "Partly", "Silent"]


def test_the_filters_are_a_get_form_that_works_without_javascript(client, seeded):
    html = html_of(client.get("/fr/partenaires/"))
    assert '<form class="filters" method="get" action="/fr/partenaires/"' in html
    assert "<script" not in html.split('<form class="filters"')[1].split("</form>")[0]


@pytest.mark.django_db
def test_facet_counts_take_three_queries_whatever_the_number_of_partners(django_assert_num_queries):
    make_partners(3)
    all_destinations = destinations()
    dees = Programme.objects.get(code="DEES")
    searches = [PartnerSearch(), PartnerSearch(text="haute", programme=dees, mobility_type="student_studies")]
    for search in searches:
        with django_assert_num_queries(3):
            partner_facets(search, all_destinations)
    make_partners(200)
    for search in searches:
        with django_assert_num_queries(3):
            facets = partner_facets(search, all_destinations)
    assert facets.destination[0].count == 203


@pytest.mark.django_db
def test_partner_directory_takes_six_queries_whatever_the_number_of_partners(django_assert_num_queries):
    make_partners(3)
    all_destinations = destinations()
    dees = Programme.objects.get(code="DEES")
    Network.objects.create(name="Réseau", slug="reseau", summary="…")
    NetworkMembershipFactory.create(
        network=Network.objects.get(slug="reseau"), institution=Institution.objects.get(slug="he-1")
    )
    # The size of each group; the page's partners, their agreements in force, those agreements'
    # programmes and terms, their networks.
    with django_assert_num_queries(6):
        partner_directory(PartnerSearch(programme=dees), all_destinations)
    make_partners(200)
    with django_assert_num_queries(6):
        found = partner_directory(PartnerSearch(programme=dees), all_destinations, page_number="2")
    assert found.confirmed_count == 203
    assert len(found.groups[0].institutions) == PARTNERS_PER_PAGE


@pytest.mark.django_db
def test_partners_index_query_count_is_pinned_and_does_not_grow(client, django_assert_num_queries):
    make_partners(3)
    forget_cached_pages()
    # Destinations, the facets' three, the directory's six, the map's partners; and once per content
    # version, the moment the next call opens or closes, which bounds how long the page is kept whole.
    with django_assert_num_queries(12):
        client.get("/fr/partenaires/")
    make_partners(100)
    forget_cached_pages()
    with django_assert_num_queries(12):
        client.get("/fr/partenaires/")
    # A chosen destination and programme are each checked against the valid ones: one query each;
    # a search shows no map.
    filters = {"programme": "DEES", "q": "haute", "destination": "belgique", "mobility": "student_studies"}
    forget_cached_pages()
    with django_assert_num_queries(13):
        response = client.get("/fr/partenaires/", filters)
    assert response.context["directory"].count == 103
    make_partners(10)
    forget_cached_pages()
    with django_assert_num_queries(13):
        response = client.get("/fr/partenaires/", filters)
    assert response.context["directory"].count == 113


# 4. Funding periods read as text.


def test_network_funding_periods_read_as_a_sentence(client, seeded):
    html = html_of(client.get("/fr/partenaires/reseaux/france-quebec/"))
    assert (
        '<p class="funding">Le projet a été partiellement financé dans le cadre du Fonds franco-québécois pour la '
        "coopération décentralisée : 2009–2011 (période), 2011–2012 (biennum) et 2012–2013.</p>" in html
    )
    assert "timeline" not in html


# English pages get the same sentences, translated.


def test_the_partner_pages_sentences_are_in_english_on_the_english_site(client, seeded):
    index = html_of(client.get("/en/partners/"))
    assert (
        "Where a card does not mention programmes or mobility types, they are still to be confirmed." in index
    )
    assert (
        "A partnership under ERASMUS is in place; the partner institution has not been named publicly yet."
        in index
    )
    assert '<option value="belgique">Belgium (2)</option>' in index
    assert '<option value="university">University (3)</option>' in index
    filtered = html_of(client.get("/en/partners/", {"programme": "DEES"}))
    assert "Programmes covered to be confirmed (13 partners)" in filtered
    institution = html_of(client.get("/en/partners/institutions/centre-jeunesse-de-montreal/"))
    assert (
        "Still to be confirmed for this agreement: the period of the agreement, the programmes covered, "
        "the number of places and the length of the mobilities." in institution
    )
    network = html_of(client.get("/en/partners/networks/france-quebec/"))
    assert "2009–2011 (period), 2011–2012 (biennium) and 2012–2013." in network
    assert "The programmes covered by this agreement are still to be confirmed." in network
    portugal = html_of(client.get("/en/partners/destinations/portugal/"))
    assert "The partner institution has not been named publicly yet." in portugal
