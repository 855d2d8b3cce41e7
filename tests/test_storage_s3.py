"""Files on S3 (PORTAL_STORAGE=s3), against a real S3 server (SeaweedFS, tests/s3.py): documents
under the bucket's private prefix, downloaded by staff only and deleted with their application;
logos under its public prefix, served from the site's own address; backups that hold the bucket;
and a missing bucket or a wrong key that the health check reports."""

import dataclasses
import hashlib
import logging
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from backoffice.services.applications import applications_delete
from mobility.models import Application, ApplicationDocument
from partnerships.models import Institution
from tests.factories import AgreementFactory, InstitutionFactory
from tests.mobility.helpers import MINIMAL_PDF, open_call_with_destinations, png_file, submit_application
from tests.mobility.test_public import form_page, valid_post
from tests.s3 import S3Server
from tests.test_backups import (
    archived_manifest,
    empty_instance,  # noqa: F401  # a fixture
    this_test_instance,
)
from uploads.storage import PrivateS3Storage, PublicS3Storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(s3_server: S3Server, settings) -> str:
    """A new bucket, and the portal's storages on it, as PORTAL_STORAGE=s3 configures them."""
    name = s3_server.bucket_create()
    settings.STORAGES = {**settings.STORAGES, **s3_server.storages(name)}
    return name


def test_documents_go_to_the_private_prefix_and_only_staff_download_them(
    s3_server, bucket, client, admin_client
):
    call, destinations = open_call_with_destinations()
    _html, key = form_page(client, call)
    assert (
        client.post(
            f"/fr/mobilite/appels/{call.slug}/candidater/", valid_post(call, destinations, key)
        ).status_code
        == 302
    )
    application = Application.objects.get()
    documents = list(application.documents.order_by("kind"))
    assert len(documents) == 2
    keys = s3_server.keys(bucket)
    assert keys == sorted(f"private/{document.file.name}" for document in documents)
    with pytest.raises(ValueError, match="no public URL"):
        documents[0].file.url  # noqa: B018

    cv = next(document for document in documents if document.kind == "cv")
    download = reverse("admin:mobility_application_document", args=[application.pk, cv.pk])
    response = admin_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert "no-store" in response["Cache-Control"]
    # Nobody else: the public gets the login page, and the bucket's address needs the key.
    assert Client().get(download).status_code == 302
    anonymous = S3Server(s3_server.endpoint, "nobody", "wrong")
    with pytest.raises(Exception, match=r"InvalidAccessKeyId|AccessDenied|Forbidden"):
        anonymous.client().get_object(Bucket=bucket, Key=keys[0])


def test_an_agreement_pdf_goes_to_the_private_prefix_and_staff_download_it(s3_server, bucket, admin_client):
    agreement = AgreementFactory.create(partners=[InstitutionFactory.create(name="Haute École de Liège")])
    agreement.document.save("signe.pdf", ContentFile(MINIMAL_PDF))
    assert s3_server.keys(bucket) == [f"private/{agreement.document.name}"]
    download = reverse("admin:partnerships_agreement_document", args=[agreement.pk])
    response = admin_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Disposition"] == f'attachment; filename="{agreement.slug}.pdf"'
    assert Client().get(download).status_code == 302


def test_deleting_an_application_deletes_its_objects(s3_server, bucket, django_capture_on_commit_callbacks):
    kept = submit_application()
    doomed = submit_application(kept.call)
    doomed_keys = {f"private/{d.file.name}" for d in doomed.documents.all()}
    assert doomed_keys <= set(s3_server.keys(bucket))
    with django_capture_on_commit_callbacks(execute=True):
        applications_delete(applications=[doomed], actor=None)
    remaining = set(s3_server.keys(bucket))
    assert not doomed_keys & remaining
    assert {f"private/{d.file.name}" for d in kept.documents.all()} == remaining


def test_a_logo_goes_to_the_public_prefix_and_is_served_from_the_site(s3_server, bucket, client):
    partner = InstitutionFactory.create()
    image = png_file("logo.png")
    content = image.read()
    image.seek(0)
    partner.logo.save("logo.png", image, save=True)
    assert s3_server.keys(bucket) == [f"public/{partner.logo.name}"]
    # Addressed on the site itself: pages never ask another origin.
    assert partner.logo.url == f"/media/{partner.logo.name}"
    response = client.get(partner.logo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == content
    assert client.get("/media/logos/nothing-here.png").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_the_bucket_and_a_restore_fills_an_empty_one(
    s3_server,
    bucket,
    empty_instance,  # noqa: F811  # the fixture imported above
    tmp_path,
):
    call, _destinations = open_call_with_destinations()
    for number in range(2):
        submit_application(call, email=f"personne{number}@example.org")
    partner = Institution.objects.create(name="Partenaire au logo", slug="partenaire-au-logo", country="BE")
    partner.logo.save("logo.png", png_file("logo.png"), save=True)
    settings_of = s3_server.environment
    source = dataclasses.replace(this_test_instance(), settings=tuple(settings_of(bucket).items()))
    before = source.inventory()
    assert len(before["documents"]) == 2
    assert len(before["logos"]) == 1

    backups = tmp_path / "backups"
    source.manage("backup", "--folder", str(backups))
    [archive] = backups.iterdir()
    manifest = archived_manifest(archive)
    in_bucket = s3_server.keys(bucket)
    archived = sorted(
        name.replace("media/", "public/", 1) if name.startswith("media/") else name
        for name in manifest["files"]
        if name.startswith(("private/", "media/"))
    )
    assert archived == in_bucket
    with tarfile.open(archive) as tar:
        cv = ApplicationDocument.objects.filter(kind="cv").first()
        assert cv is not None
        stream = tar.extractfile(f"private/{cv.file.name}")
        assert stream is not None
        assert hashlib.sha256(stream.read()).hexdigest() == hashlib.sha256(MINIMAL_PDF).hexdigest()

    other_bucket = s3_server.bucket_create()
    target = dataclasses.replace(empty_instance, settings=tuple(settings_of(other_bucket).items()))
    restored = target.manage("restore", str(archive))
    assert f"  private files: {sum(n.startswith('private/') for n in manifest['files'])}\n" in restored.stdout
    assert s3_server.keys(other_bucket) == in_bucket
    assert target.inventory() == before


@pytest.mark.parametrize("fault", ["missing bucket", "wrong key"])
def test_a_missing_bucket_or_a_wrong_key_is_a_503_health_check_that_says_why(
    s3_server, settings, client, caplog, fault
):
    bucket = s3_server.bucket_create()
    if fault == "missing bucket":
        settings.STORAGES = {**settings.STORAGES, **s3_server.storages(f"{bucket}-gone")}
    else:
        settings.STORAGES = {**settings.STORAGES, **s3_server.storages(bucket, secret_key="not-the-key")}
    with caplog.at_level(logging.ERROR, logger="irts_portal.health"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == "unavailable"
    expected = (
        f"the bucket '{bucket}-gone' does not exist (AWS_STORAGE_BUCKET_NAME)"
        if fault == "missing bucket"
        else "the bucket refuses the key (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"
    )
    assert any(expected in record.getMessage() for record in caplog.records), [
        record.getMessage() for record in caplog.records
    ]


def test_both_storages_are_prefixes_of_the_one_bucket(bucket):
    private, public = storages["private"], storages["default"]
    assert isinstance(private, PrivateS3Storage)
    assert isinstance(public, PublicS3Storage)
    assert (private.bucket_name, private.location) == (bucket, "private")
    assert (public.bucket_name, public.location) == (bucket, "public")
