from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from backoffice import views as backoffice_views
from irts_portal import views
from irts_portal.sitemaps import SITEMAPS

# Outside the language prefix: machine-facing URLs and the admin, which is always in
# French (irts_portal.middleware.FrenchAdminMiddleware).
admin.site.site_header = _("IRTS Normandie-Caen — Relations internationales")
admin.site.site_title = _("IRTS Normandie-Caen — administration")
admin.site.index_title = _("Gestion des partenariats et des mobilités")
# The admin-styled pages outside the admin site show its header too.
ADMIN_PAGE_CONTEXT = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Partner logos, from the storage (nginx serves the media folder itself, when it has one).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", views.public_media, name="public_media"),
    # An index of the sections, each paged: one file would grow with the catalogue.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # « Mot de passe oublié ? » on the admin's login page: a mail with the link below. Before the
    # link's own pattern, which would take "oublie/envoye/" for a user id and a token.
    path(
        f"{settings.ADMIN_URL_PATH}mot-de-passe/oublie/",
        backoffice_views.StaffPasswordResetView.as_view(extra_context=ADMIN_PAGE_CONTEXT),
        name="admin_password_reset",
    ),
    path(
        f"{settings.ADMIN_URL_PATH}mot-de-passe/oublie/envoye/",
        backoffice_views.StaffPasswordResetDoneView.as_view(extra_context=ADMIN_PAGE_CONTEXT),
        name="password_reset_done",
    ),
    # The one-time link of `create_staff_account` and of the mail above: staff set a password here.
    # Before the admin's URLs, which would otherwise take these paths for a model's.
    path(
        f"{settings.ADMIN_URL_PATH}mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete"), extra_context=ADMIN_PAGE_CONTEXT
        ),
        name="password_reset_confirm",
    ),
    path(
        f"{settings.ADMIN_URL_PATH}mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_PAGE_CONTEXT),
        name="password_reset_complete",
    ),
    # The audit log moved from the mobility app to the back office: old bookmarks still lead to it.
    path(
        f"{settings.ADMIN_URL_PATH}mobility/auditevent/",
        RedirectView.as_view(pattern_name="admin:backoffice_auditevent_changelist", query_string=True),
    ),
    path(settings.ADMIN_URL_PATH, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(_("a-propos/"), views.about, name="about"),
    path(_("mentions-legales/"), views.legal_notice, name="legal_notice"),
    path(_("donnees-personnelles/"), views.privacy, name="privacy"),
    path(_("accessibilite/"), views.accessibility, name="accessibility"),
    path(_("contact/"), views.contact, name="contact"),
    path(_("contact/message-envoye/"), views.contact_sent, name="contact_sent"),
    path(_("partenaires/"), include("partnerships.urls")),
    # A network's activities, under its page (/fr/partenaires/reseaux/<réseau>/activites/).
    path(_("partenaires/reseaux/<slug:network_slug>/activites/"), include("activities.urls")),
    path(_("mobilite/"), include("mobility.urls")),
)

handler400 = "irts_portal.errors.bad_request"
handler403 = "irts_portal.errors.permission_denied"
handler404 = "irts_portal.errors.page_not_found"
handler500 = "irts_portal.errors.server_error"
