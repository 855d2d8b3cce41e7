from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from activities.sitemaps import ActivitySitemap
from partnerships.sitemaps import DestinationSitemap, InstitutionSitemap, NetworkSitemap


class InformationPagesSitemap(Sitemap):
    """The site-wide pages, in every language, with their alternates."""

    i18n = True
    alternates = True
    changefreq = "monthly"
    limit = InstitutionSitemap.limit

    def items(self) -> list[str]:
        return [
            "home",
            "about",
            "contact",
            "legal_notice",
            "privacy",
            "accessibility",
            "partnerships:index",
            "mobility:index",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


# The sections of the sitemap index (/sitemap.xml), each at /sitemap-<section>.xml, in pages of
# `limit` addresses (?p=2…) when it grows past that.
SITEMAPS = {
    "pages": InformationPagesSitemap,
    "networks": NetworkSitemap,
    "destinations": DestinationSitemap,
    "institutions": InstitutionSitemap,
    "activities": ActivitySitemap,
}
