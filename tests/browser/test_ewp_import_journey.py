"""A Relations internationales member imports a partner's EWP file in a real browser: a refused
file first, then a preview at phone and desktop widths, then the draft. Every page passes axe."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from partnerships.models import Agreement, Institution
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_back_office_journey import log_in, staff_member
from tests.partnerships.test_iia_import import OURS, STUDIES_IN, partner_copy, spec

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XML_BOMB = (
    b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>"""
)


@pytest.mark.usefixtures("ewp_schemas")
def test_a_partners_file_is_refused_then_previewed_then_saved_as_a_draft(site, page, tmp_path):
    call_command("load_seed", stdout=io.StringIO())
    call_command("sync_roles", stdout=io.StringIO())
    Institution.objects.filter(is_own=True).update(schac_code=OURS)
    staff_member("ri", "Relations internationales")
    bomb, copy = tmp_path / "bombe.xml", tmp_path / "accord-ispa.xml"
    bomb.write_bytes(XML_BOMB)
    copy.write_bytes(
        partner_copy(
            spec(sending="ispa.pt", extra=STUDIES_IN), partner="ispa.pt", partner_iia_id="ISPA-2026-3"
        )
    )
    drafts = Agreement.objects.filter(is_draft=True).count()

    log_in(site, page, "ri")
    site.open("/gestion/partnerships/agreement/")
    page.get_by_role("link", name="Importer un accord EWP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer un accord EWP (IIA v7)")
    assert_no_axe_violations(page)

    page.get_by_label("Fichier XML du partenaire").set_input_files(bomb)
    page.get_by_role("button", name="Vérifier et prévisualiser").click()
    expect(page.get_by_text("déclare une DTD ou des entités XML")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("choisissez de nouveau le fichier")
    # The error is tied to its field, for a screen reader.
    field = page.get_by_label("Fichier XML du partenaire")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert "id_file_error" in (field.get_attribute("aria-describedby") or "")
    assert_no_axe_violations(page)

    page.get_by_label("Fichier XML du partenaire").set_input_files(copy)
    page.get_by_role("button", name="Vérifier et prévisualiser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l’import EWP")
    expect(page.get_by_text("Aucun établissement n’a le code SCHAC ispa.pt")).to_be_visible()
    terms = page.get_by_role("region", name="Conditions de mobilité du fichier")
    expect(terms.get_by_role("row")).to_have_count(2)
    assert_no_axe_violations(page)
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("button", name="Confirmer l’import en brouillon").click()
    expect(page.locator(".errornote")).to_contain_text("Corrigez les erreurs ci-dessous")
    page.get_by_label("Nom").fill("ISPA – Instituto Universitário")
    page.get_by_label("Pays").select_option("PT")
    page.get_by_label("Type d’établissement").select_option("university")
    page.get_by_role("button", name="Confirmer l’import en brouillon").click()

    expect(page.locator(".messagelist")).to_contain_text("1 brouillon(s) créé(s)")
    assert Agreement.objects.filter(is_draft=True).count() == drafts + 1
    draft = Agreement.objects.get(partner_iia_id="ISPA-2026-3")
    assert draft.parties.get(is_own=False).name == "ISPA – Instituto Universitário"
    page.locator(".messagelist").get_by_role("link", name=draft.title).click()
    expect(page.get_by_label("Identifiant EWP du partenaire (iia-id)")).to_have_value("ISPA-2026-3")
    assert_no_axe_violations(page)
