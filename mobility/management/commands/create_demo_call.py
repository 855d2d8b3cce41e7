from django.core.management.base import BaseCommand

from mobility.demo import demo_call_ensure


class Command(BaseCommand):
    help = (
        "Create a demonstration call, open from now for 60 days, with the ERASMUS and Québec "
        "destinations; only when no call exists yet, so restarts add nothing. For local use: "
        "production installations create their real calls in the admin."
    )

    def handle(self, *args, **options):
        call = demo_call_ensure()
        if call:
            self.stdout.write(
                f"Created the demonstration call '{call.title}' ({call.destinations.count()} destinations)."
            )
