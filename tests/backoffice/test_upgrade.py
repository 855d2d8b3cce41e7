"""An instance that ran the portal before the back office existed upgrades with `migrate` alone,
and keeps its audit log, its staff groups and their permissions."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from backoffice.models import AuditEvent
from backoffice.roles import CONSULTATION, INTERNATIONAL_RELATIONS

# The last migrations before the back office: the state of the code it replaced.
BEFORE_BACKOFFICE = [("mobility", "0002_staff_roles"), ("partnerships", "0001_initial")]


def migrate(*args: str) -> None:
    call_command("migrate", *args, verbosity=0, stdout=StringIO())


def table_names() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_migrate_from_before_the_backoffice_keeps_the_audit_log_groups_and_permissions(
    django_user_model, client
):
    migrate("mobility", "0002_staff_roles")
    try:
        # The database as the previous version left it.
        assert "mobility_auditevent" in table_names()
        assert "backoffice_auditevent" not in table_names()
        old_state = MigrationExecutor(connection).loader.project_state(BEFORE_BACKOFFICE)
        OldAuditEvent = old_state.apps.get_model("mobility", "AuditEvent")
        old_type = ContentType.objects.get(app_label="mobility", model="auditevent")
        reader = django_user_model.objects.create_user("lecture", password="x" * 12, is_staff=True)
        OldAuditEvent.objects.create(
            action="export", user_id=reader.pk, subject="candidatures", detail={"count": 12}
        )
        OldAuditEvent.objects.create(action="purge", subject="candidatures", detail={"count": 3})
        old_permission = Permission.objects.get(content_type=old_type, codename="view_auditevent")
        consultation = Group.objects.get(name=CONSULTATION)
        assert old_permission in consultation.permissions.all()
        reader.groups.add(consultation)
    finally:
        migrate()

    # The rows, under the new model and table.
    assert "mobility_auditevent" not in table_names()
    events = {
        (event.action, event.subject, event.detail["count"], event.user) for event in AuditEvent.objects.all()
    }
    assert events == {("export", "candidatures", 12, reader), ("purge", "candidatures", 3, None)}
    # The same content type and permission rows, moved: the groups still hold them.
    new_type = ContentType.objects.get_for_model(AuditEvent)
    assert new_type.pk == old_type.pk
    assert not ContentType.objects.filter(app_label="mobility", model="auditevent").exists()
    assert Permission.objects.get(content_type=new_type, codename="view_auditevent").pk == old_permission.pk
    for role in (CONSULTATION, INTERNATIONAL_RELATIONS):
        assert old_permission in Group.objects.get(name=role).permissions.all()
    # And a member of the group reads the log in the admin.
    reader = django_user_model.objects.get(pk=reader.pk)
    assert reader.has_perm("backoffice.view_auditevent")
    client.force_login(reader)
    page = client.get(reverse("admin:backoffice_auditevent_changelist"))
    assert page.status_code == 200
    assert page.context["cl"].result_count == 2
