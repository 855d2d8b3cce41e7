"""Erasmus+ agreements export as EWP IIA v7 get-responses that the official schemas accept, with
the official iia-hash; what an agreement lacks is refused by name, never exported invalid.

The schemas and the stylesheet are read from beside the project (../shared/ewp); where they are
not, the tests that need them say so and are skipped."""

import hashlib
import re
import sys

import pytest
from lxml import etree

from backoffice.models import AuditEvent
from partnerships.ewp.iia_export import (
    IIAExportRefused,
    iia_get_response,
    iia_id,
    iia_problems,
    own_institution,
)
from partnerships.ewp.iia_hash import iia_hash
from partnerships.models import Agreement, Institution, MobilityTerm
from tests.factories import AgreementFactory, InstitutionFactory, MobilityTermFactory
from tests.partnerships.test_iia_hash import EWP, stylesheet_texts

pytestmark = pytest.mark.django_db

NS = {
    "iia": "https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd"
}


def schema():
    if not (EWP / "validate.py").exists():
        pytest.skip(f"the EWP schemas are not at {EWP}")
    sys.path.insert(0, str(EWP))
    try:
        import validate  # type: ignore[import-not-found]  # the EWP schemas' own loader, offline
    finally:
        sys.path.remove(str(EWP))
    return validate.load("iias-get")


def schema_errors(document: bytes) -> list[str]:
    return [f"{error.reason} at {error.path}" for error in schema().iter_errors(document.decode())]


@pytest.fixture
def agreement(erasmus_agreement: Agreement) -> Agreement:
    return erasmus_agreement


def test_an_agreement_exports_valid_under_the_official_schema(agreement):
    document = iia_get_response([agreement])
    assert schema_errors(document) == []
    tree = etree.fromstring(document)
    [iia] = tree.findall("iia:iia", NS)
    hei_ids = [partner.findtext("iia:hei-id", namespaces=NS) for partner in iia.findall("iia:partner", NS)]
    assert hei_ids == ["irtsnormandiecaen.fr", "unipr.it"]  # ours first
    assert iia.findtext("iia:partner/iia:iia-id", namespaces=NS) == iia_id(agreement)
    specs = iia.find("iia:cooperation-conditions", NS)
    assert [etree.QName(spec).localname for spec in specs] == [  # in the schema's order
        "student-studies-mobility-spec",
        "student-traineeship-mobility-spec",
        "staff-teacher-mobility-spec",
        "staff-training-mobility-spec",
    ]
    studies = specs.find("iia:student-studies-mobility-spec", NS)
    assert studies.findtext("iia:sending-hei-id", namespaces=NS) == "irtsnormandiecaen.fr"
    assert studies.findtext("iia:receiving-first-academic-year-id", namespaces=NS) == "2025/2026"
    assert studies.findtext("iia:receiving-last-academic-year-id", namespaces=NS) == "2028/2029"
    assert studies.findtext("iia:recommended-language-skill/iia:cefr-level", namespaces=NS) == "B1"
    assert studies.findtext("iia:subject-area/iia:isced-f-code", namespaces=NS) == "0923"
    assert studies.findtext("iia:total-months-per-year", namespaces=NS) == "10"  # 2 places × 5 months
    assert studies.findtext("iia:eqf-level", namespaces=NS) == "6"
    traineeship = specs.find("iia:student-traineeship-mobility-spec", NS)
    assert traineeship.findtext("iia:sending-hei-id", namespaces=NS) == "unipr.it"  # incoming
    assert traineeship.findtext("iia:total-months-per-year", namespaces=NS) == "7.5"
    assert traineeship.findtext("iia:blended", namespaces=NS) == "true"
    teaching = specs.find("iia:staff-teacher-mobility-spec", NS)
    assert teaching.findtext("iia:total-days-per-year", namespaces=NS) == "5"


def test_the_exported_hash_is_the_official_stylesheets(agreement):
    second = AgreementFactory.create(partners=[Institution.objects.get(schac_code="unipr.it")])
    MobilityTermFactory.create(agreement=second)
    document = iia_get_response([agreement, second])
    tree = etree.ElementTree(etree.fromstring(document))
    iias = tree.getroot().findall("iia:iia", NS)
    assert [iia.findtext("iia:iia-hash", namespaces=NS) for iia in iias] == [iia_hash(iia) for iia in iias]
    assert [iia.findtext("iia:iia-hash", namespaces=NS) for iia in iias] == [
        hashlib.sha256(text.encode()).hexdigest() for text in stylesheet_texts(tree)
    ]


def test_a_change_of_the_conditions_changes_the_hash(agreement):
    before = etree.fromstring(iia_get_response([agreement])).findtext("iia:iia/iia:iia-hash", namespaces=NS)
    term = agreement.mobility_terms.get(mobility_type=MobilityTerm.MobilityType.STUDENT_STUDIES)
    term.places_per_year = 4
    term.save()
    fresh = Agreement.objects.get(pk=agreement.pk)
    after = etree.fromstring(iia_get_response([fresh])).findtext("iia:iia/iia:iia-hash", namespaces=NS)
    assert after != before


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda a: Institution.objects.filter(schac_code="unipr.it").update(schac_code=""),
            "Code SCHAC de « Università di Parma » : à renseigner.",
        ),
        (
            lambda a: Institution.objects.filter(is_own=True).update(schac_code=""),
            "Code SCHAC de notre établissement",
        ),
        (
            lambda a: a.mobility_terms.filter(mobility_type="student_studies").update(cefr_level=""),
            "études (étudiants) — départ de l’IRTS Normandie-Caen — niveau CECRL : à renseigner.",
        ),
        (
            lambda a: a.mobility_terms.filter(mobility_type="staff_teaching").update(language=""),
            "langue recommandée : à renseigner.",
        ),
        (
            lambda a: a.mobility_terms.filter(mobility_type="staff_training").update(places_per_year=None),
            "places par an : à renseigner (au moins 1).",
        ),
        (
            lambda a: Agreement.objects.filter(pk=a.pk).update(first_academic_year=None),
            "Première année universitaire : à renseigner.",
        ),
        (lambda a: Agreement.objects.filter(pk=a.pk).update(kind=Agreement.Kind.BILATERAL), "Type d’accord"),
        (
            lambda a: a.party_links.create(institution=InstitutionFactory.create(schac_code="unibo.it")),
            "en compte 2",
        ),
    ],
    ids=[
        "partner without SCHAC",
        "us without SCHAC",
        "studies without CEFR level",
        "teaching without language",
        "no places",
        "no first year",
        "not Erasmus",
        "two partners",
    ],
)
def test_what_an_agreement_lacks_is_refused_by_name(agreement, change, problem):
    change(agreement)
    fresh = Agreement.objects.get(pk=agreement.pk)
    with pytest.raises(IIAExportRefused) as refused:
        iia_get_response([fresh])
    [(refused_agreement, problems)] = refused.value.problems.items()
    assert refused_agreement == fresh
    assert any(problem in found for found in problems), problems
    assert iia_problems(fresh, own_institution()) == problems


AGREEMENTS = "/gestion/partnerships/agreement/"


def test_staff_export_selected_agreements_from_the_list(agreement, admin_client):
    response = admin_client.post(AGREEMENTS, {"action": "export_ewp", "_selected_action": [agreement.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="accords-ewp-iia-v7.xml"'
    assert schema_errors(response.content) == []
    event = AuditEvent.objects.get()
    assert (event.action, event.subject, event.detail["format"], event.detail["count"]) == (
        "export",
        "accords",
        "ewp-iia-v7",
        1,
    )


def test_an_agreement_that_cannot_be_exported_says_what_to_fill_in_and_nothing_leaves(
    agreement, admin_client
):
    Institution.objects.filter(schac_code="unipr.it").update(schac_code="")
    response = admin_client.post(
        AGREEMENTS, {"action": "export_ewp", "_selected_action": [agreement.pk]}, follow=True
    )
    page = response.content.decode()
    assert "Rien n’a été exporté ; à compléter d’abord" in page
    assert "Code SCHAC de « Università di Parma » : à renseigner." in page
    assert not AuditEvent.objects.exists()


def test_the_agreement_page_shows_the_hash_of_its_conditions_as_saved(agreement, admin_client):
    change = f"{AGREEMENTS}{agreement.pk}/change/"
    shown = re.search(r"<code>([0-9a-f]{64})</code>", admin_client.get(change).content.decode())
    assert shown
    exported = etree.fromstring(iia_get_response([agreement])).findtext("iia:iia/iia:iia-hash", namespaces=NS)
    assert shown.group(1) == exported
    agreement.mobility_terms.filter(mobility_type="student_studies").update(places_per_year=5)
    again = re.search(r"<code>([0-9a-f]{64})</code>", admin_client.get(change).content.decode())
    assert again
    assert again.group(1) != shown.group(1)


def test_each_change_of_the_conditions_is_recorded_with_its_new_hash(agreement):
    agreement.refresh_from_db()
    first = agreement.iia_hash
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    term = agreement.mobility_terms.get(mobility_type=MobilityTerm.MobilityType.STUDENT_STUDIES)
    term.places_per_year = 6
    term.save()
    agreement.refresh_from_db()
    assert agreement.iia_hash not in ("", first)
    assert agreement.iia_hash == etree.fromstring(iia_get_response([agreement])).findtext(
        "iia:iia/iia:iia-hash", namespaces=NS
    )
    # The audit trail keeps each hash the agreement had, newest first.
    hashes = list(
        agreement.audit_trail.order_by("-history_date", "-history_id").values_list("iia_hash", flat=True)
    )
    assert hashes[0] == agreement.iia_hash
    assert first in hashes
    # No longer exportable: the hash is emptied, and that too is recorded.
    term.cefr_level = ""
    term.save()
    agreement.refresh_from_db()
    assert agreement.iia_hash == ""
