"""The compliance status of the accessibility statement (RGAA 4.1), worded once.

The status itself is the setting PORTAL_ACCESSIBILITY_STATUS; the statement page and the
footer's mention, which RGAA requires on every page, both read it through `compliance_status`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceStatus(models.TextChoices):
    NONE = "non", _("non conforme")
    PARTIAL = "partiel", _("partiellement conforme")
    FULL = "total", _("totalement conforme")


def compliance_status() -> ComplianceStatus:
    # settings.py refuses any other value at start-up.
    return ComplianceStatus(settings.PORTAL_ACCESSIBILITY_STATUS)
