from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from irts_portal import views
from irts_portal.sitemaps import SITEMAPS

# Outside the language prefix: machine-facing URLs and the admin, which
# follows the staff member's language cookie rather than the URL.
admin.site.site_header = _("IRTS Normandie-Caen — Relations internationales")
admin.site.site_title = _("IRTS Normandie-Caen — administration")
admin.site.index_title = _("Gestion des partenariats et des mobilités")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL_PATH, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(_("a-propos/"), views.about, name="about"),
    path(_("mentions-legales/"), views.legal_notice, name="legal_notice"),
    path(_("donnees-personnelles/"), views.privacy, name="privacy"),
    path(_("contact/"), views.contact, name="contact"),
    path(_("partenaires/"), include("partnerships.urls")),
    path(_("mobilite/"), include("mobility.urls")),
)
