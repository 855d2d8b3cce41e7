from django.core.management.base import BaseCommand

from backoffice.roles import roles_sync


class Command(BaseCommand):
    help = (
        "Bring the staff roles' groups (Relations internationales, Évaluation, Consultation) back to "
        "exactly the permissions defined in backoffice/roles.py. Safe to run again: it then changes nothing."
    )

    def handle(self, *args, **options):
        results = roles_sync()
        roles = ", ".join(
            f"{result.name} ({result.total} permissions{', new' if result.created else ''})"
            for result in results
        )
        added = sum(result.added for result in results)
        removed = sum(result.removed for result in results)
        self.stdout.write(f"Roles synchronised: {roles}; {added} permissions granted, {removed} withdrawn.")
