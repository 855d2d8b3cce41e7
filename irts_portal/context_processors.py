from django.conf import settings

from irts_portal.accessibility import compliance_status


def portal(request):
    """Site-wide values the layout needs on every page (no database access)."""
    match = getattr(request, "resolver_match", None)
    return {
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "login_lockout_minutes": settings.PORTAL_LOGIN_LOCKOUT_MINUTES,
        # The footer's accessibility mention, which RGAA requires on every page.
        "accessibility_compliance": compliance_status(),
        # Which main-navigation entry to mark as current: an app namespace or a page name.
        "nav_section": (match.namespace or match.url_name) if match else "",
    }
