"""The "Dernières activités" block of a network's page.

A tag of this app rather than a query in the network's view: the partner catalogue stays
unaware of the activities (the activities app sits above it, see pyproject.toml's layers).
"""

from typing import Any

from django import template

from activities import selectors
from partnerships.models import Network

register = template.Library()


@register.inclusion_tag("activities/includes/latest_activities.html")
def latest_activities(network: Network) -> dict[str, Any]:
    return {
        "network": network,
        "activities": selectors.latest_activities(network),
        "list_url": selectors.activity_list_url(network),
    }
