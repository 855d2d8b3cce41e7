from activities.models import Activity
from partnerships.sitemaps import TranslatedSitemap


class ActivitySitemap(TranslatedSitemap):
    """The published activities' pages: what a search engine finds of a network's life."""

    def items(self):
        return Activity.objects.published().select_related("network").order_by("network__slug", "slug")

    def lastmod(self, item: Activity):
        return item.updated_at
