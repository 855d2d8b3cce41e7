from django.contrib.sitemaps import Sitemap

from partnerships.models import Destination, Institution, Network


class _TranslatedSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"


class InstitutionSitemap(_TranslatedSitemap):
    def items(self):
        return Institution.objects.filter(is_public=True).order_by("slug")


class DestinationSitemap(_TranslatedSitemap):
    def items(self):
        return Destination.objects.order_by("position", "slug")


class NetworkSitemap(_TranslatedSitemap):
    def items(self):
        return Network.objects.order_by("position", "slug")
