"""The three staff roles, as groups with their permissions (see mobility/roles.py)."""

from django.db import migrations

from mobility.roles import roles_sync


def create_roles(apps, schema_editor):
    roles_sync(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mobility", "0001_initial"),
        ("partnerships", "0001_initial"),
    ]

    operations = [
        # Reversing leaves the groups in place: they may have members by then.
        migrations.RunPython(create_roles, migrations.RunPython.noop, elidable=False),
    ]
