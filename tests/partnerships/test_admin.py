"""The partnerships admin, through real requests: pages, query counts, validation, uploads, downloads."""

from io import BytesIO, StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image, PngImagePlugin

from partnerships.models import (
    Agreement,
    AgreementParty,
    FundingPeriod,
    Institution,
    MobilityTerm,
    NetworkObjective,
    SeedRecord,
)
from tests.admin_helpers import form_data, inline_formset
from tests.documents import blank_pdf
from tests.factories import (
    AgreementFactory,
    DestinationFactory,
    InstitutionFactory,
    MobilityTermFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OwnInstitutionFactory,
    ProgrammeFactory,
)

if TYPE_CHECKING:
    # The test client's response type exists only in django-stubs.
    from django.test.client import _MonkeyPatchedWSGIResponse

PDF_BYTES = blank_pdf()
MODELS = ["institution", "destination", "network", "agreement", "programme", "seedrecord"]


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:partnerships_{model}_{view}", args=args)


def png_with_metadata(size=(40, 30)) -> bytes:
    exif = Image.Exif()
    exif[0x010E] = "Photo prise au 12 rue des Lilas"  # ImageDescription
    exif[0x0131] = "Appareil photo"  # Software
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "GPS 49.18N 0.37W")
    buffer = BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG", exif=exif, pnginfo=text)
    return buffer.getvalue()


def make_rows(model: str, count: int) -> None:
    """`count` objects of the model, each with the related rows its list page shows."""
    for _ in range(count):
        if model == "institution":
            InstitutionFactory.create()
        elif model == "destination":
            network = NetworkFactory.create()
            DestinationFactory.create(
                name=network.name, slug=network.slug, region=network.name, network=network
            )
        elif model == "network":
            NetworkMembershipFactory.create()
        elif model == "agreement":
            agreement = AgreementFactory.create(
                network=NetworkFactory.create(), partners=[InstitutionFactory.create()]
            )
            agreement.programmes.add(ProgrammeFactory.create())
        elif model == "programme":
            ProgrammeFactory.create()
        elif model == "seedrecord":
            SeedRecord.objects.create(key=f"partnerships.institution:{SeedRecord.objects.count()}")


@pytest.fixture
def agreement_with_document():
    agreement = AgreementFactory.create(partners=[InstitutionFactory.create(name="Haute École de Liège")])
    agreement.document.save("signe.pdf", ContentFile(PDF_BYTES))
    return agreement


@pytest.fixture
def full_data(agreement_with_document):
    """One object of each model, with every inline filled, so that pages render real rows."""
    network = NetworkFactory.create()
    NetworkMembershipFactory.create(network=network)
    NetworkObjective.objects.create(network=network, position=1, title="Former", text="Échanger.")
    FundingPeriod.objects.create(network=network, funder="OFQJ", first_year=2023, last_year=2024)
    DestinationFactory.create(network=network)
    agreement_with_document.network = network
    agreement_with_document.save()
    agreement_with_document.programmes.add(ProgrammeFactory.create())
    MobilityTermFactory.create(agreement=agreement_with_document)
    SeedRecord.objects.create(key="partnerships.network:reseau")
    return {
        "institution": Institution.objects.first(),
        "destination": network.destinations.get(),
        "network": network,
        "agreement": agreement_with_document,
        "programme": agreement_with_document.programmes.get(),
        "seedrecord": SeedRecord.objects.get(),
    }


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in staff member with no permission at all; tests grant what they need."""
    user = django_user_model.objects.create_user("personnel", password="x" * 16, is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def grant(user, codename: str) -> None:
    user.user_permissions.add(
        Permission.objects.get(codename=codename, content_type__app_label="partnerships")
    )


def party_post(admin_client, institutions, **extra) -> tuple:
    """Posts the add-agreement form with these parties; returns (response, data sent)."""
    data = form_data(admin_client.get(admin_url("agreement", "add")))
    data.update(title_fr="Accord Liège", slug="accord-liege", kind=Agreement.Kind.BILATERAL)
    data["party_links-TOTAL_FORMS"] = str(len(institutions))
    for index, institution in enumerate(institutions):
        data[f"party_links-{index}-institution"] = str(institution.pk)
    data.update(extra)
    return admin_client.post(admin_url("agreement", "add"), data), data


# --- Every page ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_change_pages_render_with_data(admin_client, full_data, model):
    obj = full_data[model]
    changelist = admin_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count >= 1
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in MODELS if m != "seedrecord"])
def test_add_pages_render(admin_client, full_data, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.django_db
def test_seed_records_are_view_only(admin_client, full_data):
    assert admin_client.get(admin_url("seedrecord", "add")).status_code == 403
    record = full_data["seedrecord"]
    response = admin_client.post(admin_url("seedrecord", "change", record.pk), {"key": "changé"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.key == "partnerships.network:reseau"


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in MODELS if m != "seedrecord"])
def test_saving_a_change_page_unchanged_succeeds(admin_client, full_data, model):
    """The forms, inlines and their checks accept the data they display."""
    url = admin_url(model, "change", full_data[model].pk)
    response = admin_client.post(url, form_data(admin_client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == admin_url(model, "changelist")


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in MODELS if m != "seedrecord"])
def test_the_seed_content_can_be_saved_back_unchanged(admin_client, model):
    """Every seeded object passes the admin's checks (two parties, duration units, years)."""
    call_command("load_seed", stdout=StringIO())
    objects = apps.get_model("partnerships", model)._default_manager.all()
    assert objects.exists()
    for obj in objects:
        url = admin_url(model, "change", obj.pk)
        response = admin_client.post(url, form_data(admin_client.get(url)))
        assert response.status_code == 302, f"{obj}: {response.context['adminform'].errors}"


# --- Query counts --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("query_string", ["", "?q=e"])
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_num_queries, model, query_string
):
    url = admin_url(model, "changelist") + query_string
    make_rows(model, 3)
    admin_client.get(url)  # warms per-process caches (content types, sessions)
    with CaptureQueriesContext(connection) as few_rows:
        assert admin_client.get(url).status_code == 200

    make_rows(model, 27)
    with django_assert_num_queries(len(few_rows)):
        response = admin_client.get(url)
    assert response.status_code == 200
    if not query_string:
        assert response.context["cl"].result_count >= 30


@pytest.mark.django_db
def test_agreement_list_shows_status_marker_and_party_count(admin_client):
    AgreementFactory.create(
        title="Accord avec Liège", partners=[InstitutionFactory.create(), InstitutionFactory.create()]
    )
    AgreementFactory.create(title="Accord en préparation", is_draft=True)
    page = admin_client.get(admin_url("agreement", "changelist")).content.decode()
    assert '<span class="agreement-status agreement-status--in_force">en vigueur</span>' in page
    assert '<span class="agreement-status agreement-status--draft">brouillon</span>' in page
    assert '<td class="field-party_count">3</td>' in page
    assert "admin/partnerships/admin.css" in page


@pytest.mark.django_db
def test_agreement_search_finds_a_party_by_name(admin_client):
    AgreementFactory.create(
        title="Accord A", partners=[InstitutionFactory.create(name="Université de Würzburg")]
    )
    AgreementFactory.create(
        title="Accord B", partners=[InstitutionFactory.create(name="Haute École de Namur")]
    )
    response = admin_client.get(admin_url("agreement", "changelist"), {"q": "Würzburg"})
    assert [a.title for a in response.context["cl"].result_list] == ["Accord A"]


@pytest.mark.django_db
def test_institution_search_ignores_accents(admin_client):
    InstitutionFactory.create(name="Université de Liège")
    InstitutionFactory.create(name="Université de Genève", country="CH", city="Genève")
    response = admin_client.get(admin_url("institution", "changelist"), {"q": "liege"})
    assert [i.name for i in response.context["cl"].result_list] == ["Université de Liège"]


# --- Agreement parties and mobility terms ----------------------------------------------


@pytest.mark.django_db
def test_agreement_add_page_offers_two_party_rows_and_prepopulates_the_slug(admin_client):
    response = admin_client.get(admin_url("agreement", "add"))
    assert len(inline_formset(response, "party_links").forms) == 2
    assert "data-prepopulated-fields" in response.content.decode()


@pytest.mark.django_db
def test_agreement_with_a_single_party_is_refused_in_french_and_nothing_is_written(admin_client):
    response, _ = party_post(admin_client, [OwnInstitutionFactory.create()])
    assert response.status_code == 200
    errors = inline_formset(response, "party_links").non_form_errors()
    assert errors == [
        "Un accord doit avoir au moins deux signataires : ajoutez l’établissement partenaire "
        "(et l’IRTS Normandie-Caen s’il n’y figure pas)."
    ]
    assert "Un accord doit avoir au moins deux signataires" in response.content.decode()
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()


@pytest.mark.django_db
def test_agreement_with_two_parties_is_saved(admin_client):
    own, partner = OwnInstitutionFactory.create(), InstitutionFactory.create()
    response, _ = party_post(admin_client, [own, partner])
    assert response.status_code == 302
    agreement = Agreement.objects.get(slug="accord-liege")
    assert set(agreement.parties.all()) == {own, partner}


@pytest.mark.django_db
def test_deleting_a_party_down_to_one_is_refused(admin_client):
    partner = InstitutionFactory.create()
    agreement = AgreementFactory.create(partners=[partner])
    url = admin_url("agreement", "change", agreement.pk)
    data = form_data(admin_client.get(url))
    partner_row = next(
        key.removesuffix("-institution")
        for key, value in data.items()
        if key.endswith("-institution") and value == str(partner.pk)
    )
    data[f"{partner_row}-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert inline_formset(response, "party_links").non_form_errors()
    assert agreement.parties.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mobility_type", "wrong_field", "value", "advice"),
    [
        (MobilityTerm.MobilityType.STUDENT_STUDIES, "duration_days", "10", "se compte en mois"),
        (MobilityTerm.MobilityType.STAFF_TEACHING, "duration_months", "2", "se compte en jours"),
    ],
)
def test_mobility_term_duration_in_the_wrong_unit_is_a_field_error(
    admin_client, mobility_type, wrong_field, value, advice
):
    response, _ = party_post(
        admin_client,
        [OwnInstitutionFactory.create(), InstitutionFactory.create()],
        **{
            "mobility_terms-TOTAL_FORMS": "1",
            "mobility_terms-0-mobility_type": mobility_type,
            "mobility_terms-0-direction": MobilityTerm.Direction.OUTGOING,
            f"mobility_terms-0-{wrong_field}": value,
        },
    )
    assert response.status_code == 200
    term_form = inline_formset(response, "mobility_terms").forms[0]
    assert list(term_form.errors) == [wrong_field]
    assert advice in term_form.errors[wrong_field][0]
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_agreement_ending_before_it_starts_is_a_field_error(admin_client):
    response, _ = party_post(
        admin_client,
        [OwnInstitutionFactory.create(), InstitutionFactory.create()],
        first_academic_year="2026",
        last_academic_year="2024",
    )
    assert response.status_code == 200
    assert "précède la première" in response.context["adminform"].form.errors["last_academic_year"][0]
    assert not Agreement.objects.exists()


# --- Institution form --------------------------------------------------------------------


def post_logo(admin_client, institution, upload) -> "_MonkeyPatchedWSGIResponse":
    url = admin_url("institution", "change", institution.pk)
    data = form_data(admin_client.get(url))
    data["logo"] = upload
    return admin_client.post(url, data)


@pytest.mark.django_db
def test_uploaded_logo_is_stored_without_its_metadata_and_previewed(admin_client):
    institution = InstitutionFactory.create(name="Université de Liège")
    response = post_logo(admin_client, institution, SimpleUploadedFile("logo.png", png_with_metadata()))
    assert response.status_code == 302

    institution.refresh_from_db()
    assert (institution.logo_width, institution.logo_height) == (40, 30)
    with Image.open(institution.logo.path) as stored:
        assert stored.format == "PNG"
        assert stored.info == {}
        assert not stored.getexif()

    page = admin_client.get(admin_url("institution", "change", institution.pk)).content.decode()
    assert (
        '<img alt="Logo de Université de Liège" class="logo-preview" height="30" '
        f'src="{institution.logo.url}" width="40">'
    ) in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"Ceci n'est pas une image.", "Téléversez une image valide."),
        ("logo.gif", None, "Le logo doit être une image PNG, JPEG ou WebP."),
    ],
)
@pytest.mark.django_db
def test_a_logo_that_is_not_a_png_jpeg_or_webp_is_refused_in_french(admin_client, name, content, message):
    if content is None:
        buffer = BytesIO()
        Image.new("P", (8, 8)).save(buffer, "GIF")
        content = buffer.getvalue()
    institution = InstitutionFactory.create()
    response = post_logo(admin_client, institution, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["logo"][0]
    institution.refresh_from_db()
    assert not institution.logo


@pytest.mark.django_db
def test_a_second_own_institution_is_refused_on_the_field(admin_client):
    OwnInstitutionFactory.create()
    institution = InstitutionFactory.create()
    url = admin_url("institution", "change", institution.pk)
    data = form_data(admin_client.get(url))
    data["is_own"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "un seul peut l’être" in response.context["adminform"].form.errors["is_own"][0]


# --- Agreement document ------------------------------------------------------------------


def download(client, agreement):
    return client.get(admin_url("agreement", "document", agreement.pk))


@pytest.mark.django_db
def test_superuser_downloads_the_signed_pdf_as_an_attachment(admin_client, agreement_with_document):
    response = download(admin_client, agreement_with_document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == f'attachment; filename="{agreement_with_document.slug}.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_admin_login(client, agreement_with_document):
    response = download(client, agreement_with_document)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_staff_without_view_permission_gets_403(staff_client, agreement_with_document):
    assert download(staff_client, agreement_with_document).status_code == 403


@pytest.mark.django_db
def test_staff_with_view_permission_only_sees_a_download_link_and_downloads(
    staff_client, agreement_with_document
):
    grant(staff_client.user, "view_agreement")
    page = staff_client.get(admin_url("agreement", "change", agreement_with_document.pk))
    assert page.status_code == 200
    download_url = admin_url("agreement", "document", agreement_with_document.pk)
    assert f'<a href="{download_url}">Télécharger l’accord signé</a>' in page.content.decode()

    response = download(staff_client, agreement_with_document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.django_db
def test_agreement_without_document_gives_404(admin_client):
    assert download(admin_client, AgreementFactory.create()).status_code == 404


@pytest.mark.django_db
def test_unknown_agreement_gives_404(admin_client):
    assert admin_client.get(admin_url("agreement", "document", 999_999)).status_code == 404


@pytest.mark.django_db
def test_pdf_uploaded_through_the_admin_is_private_and_linked_from_the_form(admin_client):
    agreement = AgreementFactory.create(partners=[InstitutionFactory.create()])
    url = admin_url("agreement", "change", agreement.pk)
    data = form_data(admin_client.get(url))
    data["document"] = SimpleUploadedFile("accord signé.pdf", PDF_BYTES, content_type="application/pdf")
    assert admin_client.post(url, data).status_code == 302

    agreement.refresh_from_db()
    stored = Path(agreement.document.path)
    assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert stored.read_bytes() == PDF_BYTES
    page = admin_client.get(url).content.decode()
    download_url = admin_url("agreement", "document", agreement.pk)
    assert f'<a href="{download_url}">Télécharger l’accord signé</a>' in page
    assert 'name="document-clear"' in page


@pytest.mark.django_db
def test_a_file_that_is_not_a_pdf_is_refused_in_french(admin_client):
    agreement = AgreementFactory.create(partners=[InstitutionFactory.create()])
    url = admin_url("agreement", "change", agreement.pk)
    data = form_data(admin_client.get(url))
    data["document"] = SimpleUploadedFile("accord.pdf", b"<html>pas un PDF</html>")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["document"] == [
        "Ce fichier n’est pas un PDF : choisissez le PDF de l’accord signé."
    ]
    agreement.refresh_from_db()
    assert not agreement.document


# --- Stored files follow their rows --------------------------------------------------------


@pytest.mark.django_db
def test_deleting_an_agreement_in_the_admin_removes_its_signed_pdf(
    admin_client, agreement_with_document, django_capture_on_commit_callbacks
):
    name = agreement_with_document.document.name
    storage = agreement_with_document.document.storage
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            admin_url("agreement", "delete", agreement_with_document.pk), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Agreement.objects.filter(pk=agreement_with_document.pk).exists()
    assert not storage.exists(name)


@pytest.mark.django_db
def test_a_replaced_logo_is_removed_and_the_new_one_kept(admin_client, django_capture_on_commit_callbacks):
    institution = InstitutionFactory.create(name="Universität Würzburg")
    with django_capture_on_commit_callbacks(execute=True):
        post_logo(admin_client, institution, SimpleUploadedFile("ancien.png", png_with_metadata()))
    institution.refresh_from_db()
    old_name, storage = institution.logo.name, institution.logo.storage
    assert storage.exists(old_name)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_logo(
            admin_client, institution, SimpleUploadedFile("nouveau.png", png_with_metadata())
        )
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.logo.name != old_name
    assert storage.exists(institution.logo.name)
    assert not storage.exists(old_name)


@pytest.mark.django_db
def test_a_file_kept_by_a_failed_change_is_not_removed(admin_client, agreement_with_document):
    # A change that rolls back (here, an invalid period) must leave the stored PDF in place.
    name = agreement_with_document.document.name
    url = admin_url("agreement", "change", agreement_with_document.pk)
    data = form_data(admin_client.get(url))
    data.update(first_academic_year="2026", last_academic_year="2024")
    assert admin_client.post(url, data).status_code == 200
    assert agreement_with_document.document.storage.exists(name)


@pytest.mark.django_db
def test_a_large_logo_is_reduced_on_upload_its_proportions_kept(admin_client):
    institution = InstitutionFactory.create()
    buffer = BytesIO()
    Image.new("RGB", (2000, 1000), "navy").save(buffer, format="JPEG")
    response = post_logo(admin_client, institution, SimpleUploadedFile("grand.jpg", buffer.getvalue()))
    assert response.status_code == 302

    institution.refresh_from_db()
    assert (institution.logo_width, institution.logo_height) == (480, 240)
    with Image.open(institution.logo.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (480, 240))
