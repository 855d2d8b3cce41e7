"""schema.org descriptions of the institutions, in JSON-LD, for search engines and partner sites.

A data block (`<script type="application/ld+json">`): browsers never run it, so the
Content-Security-Policy, which allows no inline script, does not concern it. What it says is
what the page shows.
"""

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

from partnerships.models import Institution

# Universities and hautes écoles are colleges; the others (institutes, centres) educational or
# social organisations that schema.org's EducationalOrganization covers as well.
COLLEGE_KINDS = {Institution.Kind.UNIVERSITY, Institution.Kind.HAUTE_ECOLE}
# As Django's json_script: nothing in the data can close the element or open a comment.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def site_url(path: str) -> str:
    """The page's address on the site's own domain, as the canonical link gives it."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def institution_description(institution: Institution) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": institution.country.code}
    if institution.city:
        address["addressLocality"] = institution.city
    if institution.region:
        address["addressRegion"] = institution.region
    description: dict = {
        "@context": "https://schema.org",
        "@type": "CollegeOrUniversity" if institution.kind in COLLEGE_KINDS else "EducationalOrganization",
        "name": institution.name,
        "url": site_url(institution.get_absolute_url()),
        "address": address,
    }
    if institution.website:
        description["sameAs"] = institution.website
    networks = [membership.network for membership in institution.memberships.all()]
    if networks:
        description["memberOf"] = [
            {"@type": "Organization", "name": network.name, "url": site_url(network.get_absolute_url())}
            for network in networks
        ]
    return description


def json_ld(description: dict) -> SafeString:
    data = json.dumps(description, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(data))
