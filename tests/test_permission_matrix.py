"""Every admin URL of the partnerships, activities and mobility apps, for every kind of visitor.

The expected answers are written out from the roles as the issue states them, not
read from mobility/roles.py: a change of a role's permissions shows up here as a
failing cell. The roles are the groups the migration created.
"""

import unicodedata

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from backoffice.models import AuditEvent
from mobility.models import testimonials
from mobility.models.applications import Status
from partnerships.models import FundingPeriod, NetworkObjective, SeedRecord
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    DestinationFactory,
    InstitutionFactory,
    MobilityTermFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    ProgrammeFactory,
)
from tests.mobility.helpers import submit_application

APPS = ("partnerships", "activities", "mobility")
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

ANONYMOUS = "anonyme"
NOT_STAFF = "non-personnel"
CONSULTATION = "Consultation"
EVALUATION = "Évaluation"
INTERNATIONAL_RELATIONS = "Relations internationales"
SUPERUSER = "superutilisateur"
VISITORS = [ANONYMOUS, NOT_STAFF, CONSULTATION, EVALUATION, INTERNATIONAL_RELATIONS, SUPERUSER]
ROLES = (CONSULTATION, EVALUATION, INTERNATIONAL_RELATIONS)

# For each model, each URL (by the end of its URL name): the staff who get the page (200);
# other staff get 403. Visitors who are not staff are always sent to the login page.
VIEWERS_OF_PARTNERSHIPS = {CONSULTATION, INTERNATIONAL_RELATIONS, SUPERUSER}
VIEWERS_OF_APPLICATIONS = {CONSULTATION, EVALUATION, INTERNATIONAL_RELATIONS, SUPERUSER}
AUDIT_LOG_READERS = {CONSULTATION, INTERNATIONAL_RELATIONS, SUPERUSER}
# A model the Relations internationales role edits and Consultation only reads.
_EDITED_BY_RI = {
    "changelist": VIEWERS_OF_PARTNERSHIPS,
    "add": {INTERNATIONAL_RELATIONS, SUPERUSER},
    "change": VIEWERS_OF_PARTNERSHIPS,
    "delete": {INTERNATIONAL_RELATIONS, SUPERUSER},
    "history": VIEWERS_OF_PARTNERSHIPS,
    # One past version, from the audit trail (django-simple-history).
    "simple_history": VIEWERS_OF_PARTNERSHIPS,
}
# No add or delete page for anyone, superusers included; the change page only shows.
_READ_ONLY: dict[str, set[str]] = {"add": set(), "delete": set()}
EXPECTED = {
    "partnerships.institution": _EDITED_BY_RI,
    "partnerships.destination": _EDITED_BY_RI,
    "partnerships.network": _EDITED_BY_RI,
    "partnerships.programme": _EDITED_BY_RI,
    # A network's public activities: edited with the partnerships.
    "activities.activity": _EDITED_BY_RI,
    "partnerships.agreement": {
        **_EDITED_BY_RI,
        # The signed PDF: anyone who may view the agreement.
        "document": VIEWERS_OF_PARTNERSHIPS,
        "export": VIEWERS_OF_PARTNERSHIPS,
        "export_xlsx": VIEWERS_OF_PARTNERSHIPS,
        # A partner's EWP file, read and previewed, then saved as a draft.
        "import": {INTERNATIONAL_RELATIONS, SUPERUSER},
        "import_preview": {INTERNATIONAL_RELATIONS, SUPERUSER},
    },
    # Written only by `load_seed`.
    "partnerships.seedrecord": {
        "changelist": VIEWERS_OF_PARTNERSHIPS,
        "change": VIEWERS_OF_PARTNERSHIPS,
        "history": VIEWERS_OF_PARTNERSHIPS,
        **_READ_ONLY,
    },
    "mobility.call": {
        "changelist": VIEWERS_OF_APPLICATIONS,
        "add": {INTERNATIONAL_RELATIONS, SUPERUSER},
        "change": VIEWERS_OF_APPLICATIONS,
        "delete": {INTERNATIONAL_RELATIONS, SUPERUSER},
        "history": VIEWERS_OF_APPLICATIONS,
        "simple_history": VIEWERS_OF_APPLICATIONS,
    },
    "mobility.application": {
        "changelist": VIEWERS_OF_APPLICATIONS,
        # Applications come only from the public form.
        "add": set(),
        # Read-only for everyone: the page shows to whoever may view.
        "change": VIEWERS_OF_APPLICATIONS,
        "delete": {SUPERUSER},
        "history": VIEWERS_OF_APPLICATIONS,
        "simple_history": VIEWERS_OF_APPLICATIONS,
        # Consultation sees the list of documents but never downloads one.
        "document": {EVALUATION, INTERNATIONAL_RELATIONS, SUPERUSER},
        "transition": {EVALUATION, INTERNATIONAL_RELATIONS, SUPERUSER},
        "export": {CONSULTATION, INTERNATIONAL_RELATIONS, SUPERUSER},
        "export_xlsx": {CONSULTATION, INTERNATIONAL_RELATIONS, SUPERUSER},
        # "La mobilité en chiffres" as CSV, exact: those who may export the applications themselves.
        "statistics": {CONSULTATION, INTERNATIONAL_RELATIONS, SUPERUSER},
    },
    # Written only through their authors' links; moderated from the list (its actions).
    "mobility.testimonial": {
        "changelist": VIEWERS_OF_PARTNERSHIPS,
        "change": VIEWERS_OF_PARTNERSHIPS,
        "history": VIEWERS_OF_PARTNERSHIPS,
        "simple_history": VIEWERS_OF_PARTNERSHIPS,
        "add": set(),
        # An administrator's deletion, through the same service as the author's withdrawal.
        "delete": {SUPERUSER},
    },
    # The audit log: read by those who read everything, written only by the code.
    "backoffice.auditevent": {
        "changelist": AUDIT_LOG_READERS,
        "change": AUDIT_LOG_READERS,
        "history": AUDIT_LOG_READERS,
        **_READ_ONLY,
    },
}
# What an allowed visitor gets where it is not the page itself: with no file pending, the import's
# preview sends back to the file's page.
ALLOWED_ANSWER = {("partnerships.agreement", "import_preview"): 302}
# The URLs the issue names: they must exist, whatever the admin's code becomes.
REQUIRED = {
    *(
        (model, action)
        for model in EXPECTED
        for action in ("changelist", "add", "change", "delete", "history")
    ),
    ("partnerships.agreement", "document"),
    ("mobility.application", "document"),
    ("mobility.application", "transition"),
    ("mobility.application", "export"),
    ("mobility.application", "statistics"),
}


def _admin_urls() -> set[tuple[str, str]]:
    """(model, action) of every named URL of the two apps' registered admins."""
    urls = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in APPS:
            continue
        prefix = f"{opts.app_label}_{opts.model_name}_"
        for pattern in model_admin.get_urls():
            if pattern.name:
                urls.add((f"{opts.app_label}.{opts.model_name}", pattern.name.removeprefix(prefix)))
    return urls


# Every URL the admin has, so that one added without an expectation fails here.
URLS = sorted(_admin_urls() | REQUIRED)
CASES = [(model, action, visitor) for model, action in URLS for visitor in VISITORS]


def _ascii(text: str) -> str:
    """Test ids without accents, which pytest would otherwise print escaped."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace(" ", "-")


@pytest.fixture
def objects():
    """One real object of each model, its inlines filled, a PDF on the agreement, a CV on the application."""
    network = NetworkFactory.create()
    NetworkMembershipFactory.create(network=network)
    NetworkObjective.objects.create(network=network, position=1, title="Former", text="Échanger.")
    FundingPeriod.objects.create(network=network, funder="OFQJ", first_year=2023, last_year=2024)
    agreement = AgreementFactory.create(network=network, partners=[InstitutionFactory.create()])
    agreement.document.save("signe.pdf", ContentFile(PDF_BYTES))
    agreement.programmes.add(ProgrammeFactory.create())
    MobilityTermFactory.create(agreement=agreement)
    application = submit_application()
    testimonial = testimonials.Testimonial.objects.create(
        token_hash="0" * 64,
        text="Un beau stage.",
        display_name="Camille",
        academic_year=2026,
        consent_given_at=timezone.now(),
    )
    return {
        "partnerships.institution": InstitutionFactory.create(),
        "partnerships.destination": DestinationFactory.create(network=network),
        "partnerships.network": network,
        "partnerships.programme": agreement.programmes.get(),
        "activities.activity": ActivityFactory.create(network=network),
        "partnerships.agreement": agreement,
        "partnerships.seedrecord": SeedRecord.objects.create(key="partnerships.network:reseau"),
        "mobility.call": application.call,
        "mobility.application": application,
        "mobility.testimonial": testimonial,
        "backoffice.auditevent": AuditEvent.objects.create(
            action=AuditEvent.Action.EXPORT, subject="candidatures", detail={"lignes": 1}
        ),
    }


def url_args(model: str, action: str, obj) -> list:
    if action in ("changelist", "add") or action.startswith(("export", "import", "statistics")):
        return []
    if action in ("change", "delete", "history") or (action, model) == ("document", "partnerships.agreement"):
        return [obj.pk]
    if action == "simple_history":
        return [obj.pk, obj.audit_trail.latest("history_date").history_id]
    if action == "document":
        return [obj.pk, obj.documents.get().pk]
    if action == "transition":
        # Allowed from "submitted": the form page, not a refusal.
        return [obj.pk, Status.UNDER_REVIEW]
    pytest.fail(f"Which arguments does the admin URL {model} {action} take? Add them to url_args().")


def url_for(model: str, action: str, objects: dict) -> str:
    app_label, model_name = model.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{action}", args=url_args(model, action, objects[model]))


def log_in(client, visitor: str, django_user_model) -> None:
    if visitor == ANONYMOUS:
        return
    if visitor == SUPERUSER:
        user = django_user_model.objects.create_superuser("informatique", "it@example.org", "x" * 16)
    else:
        user = django_user_model.objects.create_user(
            "personne", "personne@example.org", "x" * 16, is_staff=visitor in ROLES
        )
        if visitor in ROLES:
            user.groups.add(Group.objects.get(name=visitor))
    # force_login: the login lockout (django-axes) plays no part here.
    client.force_login(user)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "action", "visitor"), CASES, ids=[f"{m}:{a}-{_ascii(v)}" for m, a, v in CASES]
)
def test_admin_url_answers_as_the_role_allows(client, django_user_model, objects, model, action, visitor):
    if action not in EXPECTED.get(model, {}):
        pytest.fail(f"The admin URL {model} {action} has no expected answers in this test: add them.")
    url = url_for(model, action, objects)
    log_in(client, visitor, django_user_model)

    response = client.get(url)
    # A download: read it and close its file, whatever the assertions below say.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()

    if visitor in (ANONYMOUS, NOT_STAFF):
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('admin:login')}?next="), url
        return
    expected = ALLOWED_ANSWER.get((model, action), 200) if visitor in EXPECTED[model][action] else 403
    assert response.status_code == expected, url
    if expected == 200 and action == "document":
        assert content.startswith(b"%PDF"), url
