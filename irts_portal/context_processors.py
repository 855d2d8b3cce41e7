from django.conf import settings


def portal(request):
    """Site-wide values the layout needs on every page (no database access)."""
    match = getattr(request, "resolver_match", None)
    return {
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "login_lockout_minutes": settings.PORTAL_LOGIN_LOCKOUT_MINUTES,
        # Which main-navigation entry to mark as current: an app namespace or a page name.
        "nav_section": (match.namespace or match.url_name) if match else "",
    }
