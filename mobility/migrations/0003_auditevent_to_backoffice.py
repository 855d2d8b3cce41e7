"""The audit log moves to the `backoffice` app: its table is renamed, its rows are kept.

Only the table's name changes in the database; the model leaves this app's state here and
enters the back office's in `backoffice.0001_initial`, which also moves its content type (and so
the permissions that the staff groups hold).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mobility", "0002_staff_roles"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="auditevent", table="backoffice_auditevent"),
            ],
            state_operations=[
                migrations.DeleteModel(name="AuditEvent"),
            ],
        ),
    ]
