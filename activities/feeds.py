"""Each network's activities as an Atom feed, for feed readers and other sites."""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from activities import selectors
from activities.models import Activity
from partnerships.models import Network
from partnerships.structured_data import site_url

FEED_LENGTH = 50


class NetworkActivitiesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, network_slug: str) -> Network:
        return selectors.network_of_activities(network_slug)

    def title(self, network: Network) -> str:
        return _("%(network)s : activités") % {"network": network.short_name or network.name}

    def subtitle(self, network: Network) -> str:
        return network.summary

    def link(self, network: Network) -> str:
        return selectors.activity_list_url(network)

    def items(self, network: Network) -> list[Activity]:
        return list(
            selectors.published_activities(network)
            .select_related("network")
            .order_by("-start_date", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, activity: Activity) -> str:
        return activity.title

    def item_description(self, activity: Activity) -> str:
        # The feed's summary is HTML: the text's paragraphs as <p>, anything typed in it escaped.
        return linebreaks(activity.text, autoescape=True)

    def item_pubdate(self, activity: Activity):
        return activity.created_at

    def item_updateddate(self, activity: Activity):
        return activity.updated_at

    def item_categories(self, activity: Activity) -> list[str]:
        return [str(activity.get_kind_display())]

    def item_enclosures(self, activity: Activity) -> list[Enclosure]:
        if not activity.document:
            return []
        # Absolute, as a feed reader downloads it apart from the feed (the syndication framework
        # makes the links absolute, not the enclosures).
        return [
            Enclosure(
                site_url(activity.get_document_url()), str(activity.document_size or 0), "application/pdf"
            )
        ]
