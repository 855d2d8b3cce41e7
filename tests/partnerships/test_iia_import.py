"""A partner's EWP IIA v7 file, imported by staff: checked against the official schema, previewed
(parties, terms, differences, the hash), then saved as a draft only once confirmed. Bad files are
refused with a message and store nothing.

The schemas are read from beside the project (../shared/ewp), as in production from
PORTAL_EWP_SCHEMAS; where they are not, the tests that need them are skipped and say so."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from backoffice.admin.agreement_import import SESSION_KEY
from backoffice.roles import CONSULTATION, INTERNATIONAL_RELATIONS
from partnerships.ewp.iia_export import NAMESPACE, iia_get_response, iia_id
from partnerships.ewp.iia_hash import iia_hash
from partnerships.models import Agreement, Institution, MobilityTerm
from tests.factories import AgreementFactory, InstitutionFactory, MobilityTermFactory, OwnInstitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ewp_schemas")]

UPLOAD_URL = reverse("admin:partnerships_agreement_import")
PREVIEW_URL = reverse("admin:partnerships_agreement_import_preview")
OURS = "irtsnormandiecaen.fr"


@pytest.fixture
def own():
    return OwnInstitutionFactory.create(schac_code=OURS)


def _sub(parent, name, text=None):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        element.text = text
    return element


def spec(kind="student-studies", sending="unipr.it", receiving=OURS, places="2", extra=()):
    """A mobility spec as the partner writes it; `extra` are (name, text) pairs after the years."""
    element = etree.Element(f"{{{NAMESPACE}}}{kind}-mobility-spec")
    _sub(element, "sending-hei-id", sending)
    _sub(element, "receiving-hei-id", receiving)
    _sub(element, "receiving-first-academic-year-id", "2026/2027")
    _sub(element, "receiving-last-academic-year-id", "2029/2030")
    _sub(element, "mobilities-per-year", places)
    for name, text in extra:
        if name == "recommended-language-skill":
            skill = _sub(element, name)
            language, level = text
            _sub(skill, "language", language)
            _sub(skill, "cefr-level", level)
        elif name == "subject-area":
            _sub(_sub(element, name), "isced-f-code", text)
        else:
            _sub(element, name, text)
    return element


STUDIES_IN = (
    ("recommended-language-skill", ("fr", "B2")),
    ("subject-area", "0923"),
    ("total-months-per-year", "10"),
    ("blended", "false"),
    ("eqf-level", "6"),
)


def partner_copy(
    *specs, partner="unipr.it", partner_iia_id="UNIPR-2026-17", our_iia_id=None, hash_=None
) -> bytes:
    """The partner's get-response: the partner first, as its own system writes it."""
    root = etree.Element(f"{{{NAMESPACE}}}iias-get-response", nsmap={None: NAMESPACE})
    iia = _sub(root, "iia")
    theirs = _sub(iia, "partner")
    _sub(theirs, "hei-id", partner)
    _sub(theirs, "iia-id", partner_iia_id)
    ours = _sub(iia, "partner")
    _sub(ours, "hei-id", OURS)
    if our_iia_id:
        _sub(ours, "iia-id", our_iia_id)
    _sub(iia, "in-effect", "false")
    conditions = _sub(iia, "cooperation-conditions")
    for element in specs or (spec(extra=STUDIES_IN),):
        conditions.append(element)
    _sub(iia, "iia-hash", hash_ or iia_hash(iia))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def upload(client, content: bytes, name="iia.xml"):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, content, "application/xml")})


def test_an_unknown_partner_is_previewed_then_created_with_a_draft_agreement(admin_client, admin_user, own):
    document = partner_copy(
        spec(extra=STUDIES_IN),
        spec(
            "staff-training",
            sending=OURS,
            receiving="unipr.it",
            places="3",
            extra=(("total-days-per-year", "15"),),
        ),
    )

    response = upload(admin_client, document)
    assert response.status_code == 302
    assert response["Location"] == PREVIEW_URL
    assert Agreement.objects.count() == 0  # nothing saved before the confirmation

    preview = admin_client.get(PREVIEW_URL).content.decode()
    assert "Aucun établissement n’a le code SCHAC unipr.it" in preview
    assert "Un nouveau brouillon sera créé" in preview
    assert "études (étudiants) — accueil à l’IRTS Normandie-Caen" in preview
    assert "5 mois" in preview  # 10 months a year for 2 places
    assert "5 jours" in preview  # 15 days a year for 3 places
    assert "correspond au contenu du fichier" in preview

    refused = admin_client.post(PREVIEW_URL, {"partner-0-name": "", "partner-0-country": "IT"})
    assert "Corrigez les erreurs ci-dessous" in refused.content.decode()
    assert Agreement.objects.count() == 0
    assert Institution.objects.count() == 1

    done = admin_client.post(
        PREVIEW_URL,
        {"partner-0-name": "Università di Parma", "partner-0-country": "IT", "partner-0-kind": "university"},
    )
    assert done.status_code == 302
    agreement = Agreement.objects.get()
    parma = Institution.objects.get(schac_code="unipr.it")
    assert (parma.name, parma.country.code, parma.is_public) == ("Università di Parma", "IT", False)
    assert agreement.is_draft
    assert agreement.kind == Agreement.Kind.ERASMUS_IIA
    assert set(agreement.parties.all()) == {own, parma}
    assert (agreement.first_academic_year, agreement.last_academic_year) == (2026, 2029)
    assert agreement.partner_iia_id == "UNIPR-2026-17"
    assert agreement.partner_iia_hash == etree.fromstring(document).findtext(f".//{{{NAMESPACE}}}iia-hash")
    studies = agreement.mobility_terms.get(mobility_type=MobilityTerm.MobilityType.STUDENT_STUDIES)
    assert (studies.direction, studies.places_per_year, studies.duration_months) == (
        "incoming",
        2,
        Decimal("5"),
    )
    assert (studies.isced_code, studies.eqf_level, studies.language, studies.cefr_level) == (
        "0923",
        6,
        "fr",
        "B2",
    )
    training = agreement.mobility_terms.get(mobility_type=MobilityTerm.MobilityType.STAFF_TRAINING)
    assert (training.direction, training.places_per_year, training.duration_days) == ("outgoing", 3, 5)
    # Who did it and when, in the audit trail of each row.
    assert {record.history_user for record in agreement.audit_trail.all()} == {admin_user}
    assert {record.history_user for record in MobilityTerm.audit_trail.all()} == {admin_user}
    assert parma.audit_trail.get().history_user == admin_user
    assert SESSION_KEY not in admin_client.session


def test_a_draft_named_by_the_partner_is_updated_and_its_differences_previewed(admin_client, own):
    parma = InstitutionFactory.create(name="Università di Parma", country="IT", schac_code="unipr.it")
    draft = AgreementFactory.create(
        partners=[parma], is_draft=True, first_academic_year=2026, last_academic_year=2028
    )
    draft.partner_iia_id = "UNIPR-2026-17"
    draft.save()
    MobilityTermFactory.create(
        agreement=draft,
        direction=MobilityTerm.Direction.INCOMING,
        places_per_year=1,
        duration_months=Decimal("5"),
        isced_code="0923",
        eqf_level=6,
        language="fr",
        cefr_level="B2",
    )
    MobilityTermFactory.create(agreement=draft, mobility_type=MobilityTerm.MobilityType.STUDENT_TRAINEESHIP)

    upload(admin_client, partner_copy())
    preview = admin_client.get(PREVIEW_URL).content.decode()
    assert "Reconnu par son code SCHAC" in preview
    assert "sera mis à jour" in preview
    table = preview.split("Différences avec notre accord")[1].split("</table>")[0]
    assert "2028-2029" in table
    assert "2029-2030" in table
    assert "places par an" in table  # 1 → 2
    assert "Stage (étudiants) — départ de l’IRTS Normandie-Caen</th><td>présente</td><td>supprimée" in table
    assert "durée (mois)" not in table  # 10 months a year for 2 places: 5, as before

    admin_client.post(PREVIEW_URL)
    draft.refresh_from_db()
    assert Agreement.objects.count() == 1
    assert draft.last_academic_year == 2029
    assert [(t.mobility_type, t.places_per_year) for t in draft.mobility_terms.all()] == [
        ("student_studies", 2)
    ]


def test_a_signed_agreement_is_never_changed_by_a_file(admin_client, own):
    parma = InstitutionFactory.create(country="IT", schac_code="unipr.it")
    signed = AgreementFactory.create(partners=[parma], first_academic_year=2026, last_academic_year=2029)
    MobilityTermFactory.create(agreement=signed, places_per_year=9)

    upload(admin_client, partner_copy(our_iia_id=iia_id(signed)))
    preview = admin_client.get(PREVIEW_URL).content.decode()
    assert "Un nouveau brouillon sera créé ; l’accord signé" in preview
    admin_client.post(PREVIEW_URL)

    assert Agreement.objects.count() == 2
    signed.refresh_from_db()
    assert not signed.is_draft
    assert signed.mobility_terms.get().places_per_year == 9
    draft = Agreement.objects.get(is_draft=True)
    assert draft.network == signed.network
    assert draft.partner_iia_id == "UNIPR-2026-17"


def test_our_own_export_reads_back_without_a_difference(admin_client, erasmus_agreement):
    """What the export writes, the import reads the same way: the four kinds of mobility, their
    durations, levels, languages and blended flag (the export tests' agreement)."""
    erasmus_agreement.is_draft = True
    erasmus_agreement.save()
    upload(admin_client, iia_get_response([erasmus_agreement]))
    preview = admin_client.get(PREVIEW_URL).content.decode()
    assert "sera mis à jour" in preview
    assert "Aucune différence avec notre accord." in preview
    assert preview.count('<th scope="row">') == 4  # the four mobility terms, no difference row


def test_a_hash_that_does_not_match_the_content_is_reported(admin_client, own):
    upload(admin_client, partner_copy(hash_="0" * 64))
    preview = admin_client.get(PREVIEW_URL).content.decode()
    assert "ne correspond pas au contenu du fichier" in preview
    done = admin_client.post(
        PREVIEW_URL,
        {"partner-0-name": "Parma", "partner-0-country": "IT", "partner-0-kind": "university"},
        follow=True,
    )
    assert "le fichier a été modifié ou mal produit" in done.content.decode()
    assert Agreement.objects.get().partner_iia_hash == "0" * 64


def test_what_our_agreements_cannot_hold_is_listed_before_saving(admin_client, own):
    extra = (*STUDIES_IN, ("eqf-level", "7"))
    areas = spec(extra=extra)
    second_area = etree.Element(f"{{{NAMESPACE}}}subject-area")
    _sub(second_area, "isced-f-code", "0314")
    areas.insert(list(areas).index(areas.find(f"{{{NAMESPACE}}}subject-area")) + 1, second_area)
    upload(admin_client, partner_copy(areas, spec(extra=STUDIES_IN, places="4")))
    preview = admin_client.get(PREVIEW_URL).content.decode()
    assert "domaine d’études en plus du premier, non repris : 0314" in preview
    assert "niveau CEC en plus du premier, non repris : 7" in preview
    assert "une seconde condition du même type et du même sens" in preview


def test_a_subject_area_outside_isced_f_is_not_kept(admin_client, own):
    unknown_field = tuple((name, "0924" if name == "subject-area" else text) for name, text in STUDIES_IN)
    upload(admin_client, partner_copy(spec(extra=unknown_field)))
    assert (
        "domaine « 0924 » : pas un domaine détaillé ISCED-F 2013, non repris"
        in admin_client.get(PREVIEW_URL).content.decode()
    )
    admin_client.post(
        PREVIEW_URL, {"partner-0-name": "Parma", "partner-0-country": "IT", "partner-0-kind": "university"}
    )
    assert Agreement.objects.get().mobility_terms.get().isced_code == ""


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<iias-get-response>&lol3;</iias-get-response>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]><iias-get-response>&secret;</iias-get-response>"""
INDEX_RESPONSE = (
    b'<iias-index-response xmlns="https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/'
    b'stable-v7/endpoints/index-response.xsd"><iia-id>1</iia-id></iias-index-response>'
)


def _without(document: bytes, name: str) -> bytes:
    root = etree.fromstring(document)
    element = root.find(f".//{{{NAMESPACE}}}{name}")
    element.getparent().remove(element)
    return etree.tostring(root)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not xml", "n’est pas un XML bien formé"),
        (b"<iias-get-response><iia>", "n’est pas un XML bien formé"),
        (INDEX_RESPONSE, "son élément racine est « iias-index-response »"),
        (b"<html><body>Accord</body></html>", "son élément racine est « html »"),
        (_without(partner_copy(), "sending-hei-id"), "ne respecte pas le schéma officiel IIA v7"),
        (partner_copy().replace(b"2026/2027", b"2026-2027"), "ne respecte pas le schéma officiel IIA v7"),
        (BILLION_LAUGHS, "déclare une DTD ou des entités XML"),
        (EXTERNAL_ENTITY, "déclare une DTD ou des entités XML"),
        (partner_copy(spec(receiving="ulaval.ca", extra=STUDIES_IN)), "ne part pas de notre établissement"),
        (partner_copy().replace(OURS.encode(), b"autre.fr"), "ne concerne pas notre établissement"),
        (
            b'<iias-get-response xmlns="' + NAMESPACE.encode() + b'"/>',
            "ne contient aucun accord",
        ),
    ],
    ids=[
        "not-xml",
        "truncated",
        "index-response",
        "html",
        "schema-missing-element",
        "schema-bad-year",
        "billion-laughs",
        "external-entity",
        "spec-not-ours",
        "not-our-agreement",
        "no-iia",
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_stores_nothing(admin_client, own, content, message):
    institutions = Institution.objects.count()
    response = upload(admin_client, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Ce fichier n’a pas été importé ; rien n’a été enregistré" in page
    assert 'aria-invalid="true"' in page
    assert SESSION_KEY not in admin_client.session
    assert Agreement.objects.count() == 0
    assert Institution.objects.count() == institutions


def test_a_20_mb_file_is_refused_before_it_is_parsed(admin_client, own, settings):
    content = b"<iias-get-response>" + b" " * (20 * 1024 * 1024) + b"</iias-get-response>"
    page = upload(admin_client, content).content.decode()
    assert "Ce fichier pèse 20,0\xa0Mio ; 5,0\xa0Mio au plus." in page
    assert SESSION_KEY not in admin_client.session
    assert Agreement.objects.count() == 0


def test_without_the_schemas_the_page_says_how_to_install_them_and_imports_nothing(
    admin_client, own, settings
):
    settings.PORTAL_EWP_SCHEMAS = ""
    page = admin_client.get(UPLOAD_URL).content.decode()
    assert "Les schémas officiels EWP ne sont pas installés : renseignez PORTAL_EWP_SCHEMAS" in page
    assert 'type="file"' not in page
    upload(admin_client, partner_copy())
    assert SESSION_KEY not in admin_client.session


def test_our_schac_code_must_be_known_first(admin_client):
    OwnInstitutionFactory.create(schac_code="")
    page = upload(admin_client, partner_copy()).content.decode()
    assert "Renseignez d’abord le code SCHAC de notre établissement" in page


@pytest.mark.parametrize(("role", "allowed"), [(INTERNATIONAL_RELATIONS, True), (CONSULTATION, False)])
def test_only_staff_with_the_import_permission_see_and_use_it(client, django_user_model, own, role, allowed):
    user = django_user_model.objects.create_user("agent", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    listing = client.get(reverse("admin:partnerships_agreement_changelist")).content.decode()
    assert (UPLOAD_URL in listing) is allowed
    assert client.get(UPLOAD_URL).status_code == (200 if allowed else 403)
    response = upload(client, partner_copy())
    assert response.status_code == (302 if allowed else 403)
    assert client.get(PREVIEW_URL).status_code == (200 if allowed else 403)


def test_the_partners_iia_id_goes_into_our_export(own):
    parma = InstitutionFactory.create(country="IT", schac_code="unipr.it")
    agreement = AgreementFactory.create(partners=[parma])
    MobilityTermFactory.create(agreement=agreement, language="it", cefr_level="B1", places_per_year=1)
    before = Agreement.objects.get().iia_hash
    agreement.partner_iia_id = "UNIPR-2026-17"
    agreement.save()
    partners = etree.fromstring(iia_get_response([agreement])).findall(f".//{{{NAMESPACE}}}partner")
    assert partners[1].findtext(f"{{{NAMESPACE}}}iia-id") == "UNIPR-2026-17"
    assert Agreement.objects.get().iia_hash not in ("", before)  # the iia-ids are part of the hash


def test_a_copy_naming_another_partners_agreement_does_not_reach_it(admin_client, own):
    """Our iia-id in a file is believed only for an agreement its partner is party to."""
    other = InstitutionFactory.create(country="BE", schac_code="helha.be")
    theirs = AgreementFactory.create(partners=[other], is_draft=True)
    InstitutionFactory.create(country="IT", schac_code="unipr.it")
    upload(admin_client, partner_copy(our_iia_id=iia_id(theirs)))
    assert (
        "Un nouveau brouillon sera créé : aucun de nos accords"
        in admin_client.get(PREVIEW_URL).content.decode()
    )
    admin_client.post(PREVIEW_URL)
    theirs.refresh_from_db()
    assert theirs.partner_iia_id == ""
    assert Agreement.objects.filter(partner_iia_id="UNIPR-2026-17").count() == 1
