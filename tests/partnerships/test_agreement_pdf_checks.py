"""The signed agreement that staff upload goes through the same PDF checks as an applicant's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.admin_helpers import form_data
from tests.documents import blank_pdf, pdf_with_embedded_file, pdf_with_open_action_script
from tests.factories import AgreementFactory, InstitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files_removed")]


def post_signed_pdf(admin_client, content: bytes):
    agreement = AgreementFactory.create(partners=[InstitutionFactory.create()])
    url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    data = form_data(admin_client.get(url))
    data["document"] = SimpleUploadedFile("accord signé.pdf", content, content_type="application/pdf")
    return agreement, admin_client.post(url, data)


@pytest.mark.parametrize(
    ("content", "message_start"),
    [
        (b"%PDF-", "Ce PDF est illisible, incomplet ou endommagé."),
        (blank_pdf()[:-200], "Ce PDF est illisible, incomplet ou endommagé."),
        (pdf_with_open_action_script(), "Ce PDF contient du code JavaScript"),
        (pdf_with_embedded_file(), "Ce PDF contient des fichiers joints"),
    ],
    ids=["magic-bytes-only", "truncated", "open-action-js", "embedded-file"],
)
def test_a_signed_pdf_that_fails_the_checks_is_refused(admin_client, content, message_start):
    agreement, response = post_signed_pdf(admin_client, content)
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["document"]
    assert message.startswith(message_start)
    agreement.refresh_from_db()
    assert not agreement.document


def test_a_plain_signed_pdf_is_kept(admin_client):
    agreement, response = post_signed_pdf(admin_client, blank_pdf())
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.document.name.endswith(".pdf")
