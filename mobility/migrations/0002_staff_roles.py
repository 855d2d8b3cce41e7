"""Formerly created the staff roles by running live code; it now does nothing.

A migration is frozen history, while the roles change with the code: they are applied by a
`post_migrate` receiver and by `manage.py sync_roles` (see `backoffice.roles`). The migration
stays, empty, so that databases which applied it keep a consistent history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mobility", "0001_initial"),
        ("partnerships", "0001_initial"),
    ]

    operations = []
