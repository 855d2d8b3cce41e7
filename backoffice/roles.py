"""The staff roles: one group each, with exactly the permissions listed here.

This module is the single definition of the roles. `roles_sync()` creates or updates
the groups to match it. It runs after every `migrate` (a `post_migrate` receiver, see
`backoffice.apps`) and on demand with `manage.py sync_roles`. Superusers (IT) need no role.

Historical models (django-simple-history's audit trail) are never listed: their
pages do not exist in the admin, and the history pages use the model's own permissions.
"""

from typing import Any, NamedTuple

from django.apps import AppConfig
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.executor import MigrationExecutor

# The group names, as staff see them in the admin.
INTERNATIONAL_RELATIONS = "Relations internationales"
EVALUATION = "Évaluation"
CONSULTATION = "Consultation"

# The apps whose permissions the roles hand out.
ROLE_APPS = ("partnerships", "activities", "mobility", "contact", "backoffice")


def _edit(app_label: str, *model_names: str) -> tuple[str, ...]:
    """Add, change, delete and view permissions of these models."""
    return tuple(
        f"{app_label}.{action}_{model_name}"
        for model_name in model_names
        for action in ("add", "change", "delete", "view")
    )


def _view(app_label: str, *model_names: str) -> tuple[str, ...]:
    return tuple(f"{app_label}.view_{model_name}" for model_name in model_names)


# What each model's rows are, grouped as the roles see them.
PARTNERSHIP_MODELS = (
    "institution",
    "destination",
    "network",
    "networkmembership",
    "networkobjective",
    "fundingperiod",
    "agreement",
    "agreementparty",
    "mobilityterm",
    "programme",
)
# The networks' public activities: edited with the partnerships they show.
ACTIVITY_MODELS = ("activity",)
CALL_MODELS = ("call", "calldestination", "calldocument")
APPLICATION_MODELS = (
    "application",
    "applicationchoice",
    "applicationlanguage",
    "applicationdocument",
    "statuschange",
)

# Reviewing applications: read them, move their status, download their documents.
_REVIEW = (
    *_view("mobility", *APPLICATION_MODELS),
    "mobility.change_application_status",
    "mobility.download_applicationdocument",
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Manages the partnerships and the calls, reviews and exports applications.
    INTERNATIONAL_RELATIONS: frozenset(
        {
            *_edit("partnerships", *PARTNERSHIP_MODELS),
            "partnerships.export_agreement",
            "partnerships.import_agreement",
            *_view("partnerships", "seedrecord"),
            *_edit("activities", *ACTIVITY_MODELS),
            *_edit("mobility", *CALL_MODELS),
            *_REVIEW,
            "mobility.export_application",
            *_view("backoffice", "auditevent"),
            # Answers the contact form's messages: reads them and marks them handled (never deletes:
            # the retention purge does). Those who hold the change permission are mailed each message.
            "contact.view_contactmessage",
            "contact.change_contactmessage",
            # Publishes or refuses the testimonials of returning participants: public content.
            "mobility.view_testimonial",
            "mobility.moderate_testimonial",
        }
    ),
    # Reviews applications to the calls, and sees nothing of the partnerships.
    EVALUATION: frozenset(
        {
            *_view("mobility", *CALL_MODELS),
            *_REVIEW,
        }
    ),
    # Reads everything and exports, changes nothing; never downloads applicants' documents.
    CONSULTATION: frozenset(
        {
            *_view("partnerships", *PARTNERSHIP_MODELS, "seedrecord"),
            "partnerships.export_agreement",
            *_view("activities", *ACTIVITY_MODELS),
            *_view("mobility", *CALL_MODELS, *APPLICATION_MODELS, "testimonial"),
            *_view("backoffice", "auditevent"),
            "mobility.export_application",
        }
    ),
}
ROLES = tuple(ROLE_PERMISSIONS)


class RoleSync(NamedTuple):
    """What `roles_sync` did to one group."""

    name: str
    created: bool
    added: int
    removed: int
    total: int


def roles_sync(using: str = DEFAULT_DB_ALIAS) -> list[RoleSync]:
    """Create or update each role's group so that it has exactly its permissions.

    Re-runnable: a second run changes nothing. A permission listed here that does not exist
    is an error (a typo, or a model renamed): no role silently lacks a permission.
    """
    results = []
    with transaction.atomic(using=using):
        wanted_codes = {code for codes in ROLE_PERMISSIONS.values() for code in codes}
        by_code = {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in Permission.objects.using(using)
            .filter(content_type__app_label__in=ROLE_APPS)
            .values_list("pk", "content_type__app_label", "codename")
        }
        missing = sorted(wanted_codes - by_code.keys())
        if missing:
            raise LookupError(f"These role permissions do not exist: {', '.join(missing)}")
        for name, codes in ROLE_PERMISSIONS.items():
            group, created = Group.objects.using(using).get_or_create(name=name)
            wanted = {by_code[code] for code in codes}
            current = set(group.permissions.values_list("pk", flat=True))
            if wanted != current:
                group.permissions.set(wanted)
            results.append(
                RoleSync(
                    name=name,
                    created=created,
                    added=len(wanted - current),
                    removed=len(current - wanted),
                    total=len(wanted),
                )
            )
    return results


def roles_sync_after_migrate(sender: AppConfig, *, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """The `post_migrate` receiver: the roles as the code defines them, after every `migrate`.

    Connected for the back office, the last of the role apps in INSTALLED_APPS: by the time it
    runs, Django's own receivers have created every role app's content types and permissions.

    Skipped while the database is not fully migrated (`migrate app 0002` back to an old state):
    the permissions the code lists may not exist there yet.
    """
    if not router.allow_migrate_model(using, Group):
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    roles_sync(using=using)
