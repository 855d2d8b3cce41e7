"""The list of public partners as open data, in CSV and JSON, with the partners page's filters.

Only what the public pages show: names, kind, country, region, city, website, networks and the
partner's page. In French, the portal's language of record, with the column names a French
spreadsheet shows as they are. Published under the Licence Ouverte / Open Licence 2.0 (Etalab),
the default licence of French public-sector open data: reuse is free, the source to be named.
"""

import csv
import io
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation

from partnerships.models import Institution

LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
SOURCE = "IRTS Normandie-Caen"
COLUMNS = (
    "nom",
    "nom_anglais",
    "type",
    "pays_code",
    "pays",
    "region",
    "ville",
    "site_web",
    "reseaux",
    "page",
)


def partner_rows(partners: Iterable[Institution]) -> list[dict[str, str]]:
    """One row per partner, in French. `partners` come with their memberships and networks."""
    with translation.override(settings.LANGUAGE_CODE):
        return [
            {
                # The French and English columns of django-modeltranslation (partnerships/translation.py).
                "nom": getattr(partner, "name_fr", "") or partner.name,
                "nom_anglais": getattr(partner, "name_en", "") or "",
                "type": str(partner.get_kind_display()),
                "pays_code": partner.country.code,
                "pays": str(partner.country.name),
                "region": partner.region,
                "ville": partner.city,
                "site_web": partner.website,
                "reseaux": " ; ".join(membership.network.name for membership in partner.memberships.all()),
                "page": settings.PORTAL_BASE_URL + partner.get_absolute_url(),
            }
            for partner in partners
        ]


def partners_csv(rows: list[dict[str, str]]) -> bytes:
    """Semicolons and a byte-order mark: what a spreadsheet in French opens as columns, accents intact."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def partners_json(rows: list[dict[str, str]], filters: dict[str, str]) -> dict:
    return {
        "source": SOURCE,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "date": timezone.localdate().isoformat(),
        "filtres": filters,
        "partenaires": rows,
    }
