from django.core.management.base import BaseCommand

from backoffice.services.accounts import superuser_ensure


class Command(BaseCommand):
    help = (
        "Create a superuser named 'admin' with a random password, only when no superuser exists. "
        "The password is printed once and stored nowhere else."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options):
        password = superuser_ensure(username=username, email=email)
        if password is None:
            return
        self.stdout.write(
            self.style.WARNING(
                f"Created the superuser '{username}' with the password: {password}\n"
                "It is shown only this once: note it now, then change it in the admin."
            )
        )
