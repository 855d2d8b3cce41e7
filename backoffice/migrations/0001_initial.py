"""The audit log, moved here from `mobility` with its rows (see `mobility.0003`).

The table already exists under its new name: this migration only records the model in the
back office's state, and moves its content type, so that the groups' permission to view the log,
and the admin's history entries, follow it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    moved = ContentType.objects.using(db).filter(app_label=source, model="auditevent").first()
    if moved is None:
        return  # a new database: the content type is created after the migrations
    # Created meanwhile by a partial run: the older one, which the permissions point at, wins.
    ContentType.objects.using(db).filter(app_label=target, model="auditevent").delete()
    moved.app_label = target
    moved.save(update_fields=["app_label"])


def content_type_to_backoffice(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="mobility", target="backoffice")


def content_type_to_mobility(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="backoffice", target="mobility")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("mobility", "0003_auditevent_to_backoffice"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("export", "export"),
                                    ("delete", "suppression par le personnel"),
                                    ("purge", "purge des données personnelles"),
                                ],
                                max_length=20,
                                verbose_name="action",
                            ),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True, verbose_name="le")),
                        (
                            "subject",
                            models.CharField(
                                help_text="Par exemple « candidatures ».", max_length=100, verbose_name="objet"
                            ),
                        ),
                        ("detail", models.JSONField(blank=True, default=dict, verbose_name="détail")),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="par",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "événement d’audit",
                        "verbose_name_plural": "journal d’audit",
                        "ordering": ["-at"],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_to_backoffice, content_type_to_mobility, elidable=False),
    ]
