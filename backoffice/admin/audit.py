"""The audit log (exports, purges), for reading only.

Nobody adds, changes or deletes an entry here, superusers included: a log that its readers
could edit would prove nothing. Entries are written only by the code that acts.
"""

import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import ReadOnlyAdminMixin
from backoffice.admin.changelist import ChangeListMixin
from backoffice.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ChangeListMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "action", "subject", "detail_text"]
    list_filter = ["action"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    search_fields = ["subject"]
    fields = readonly_fields = ("at", "user", "action", "subject", "detail_text")

    @admin.display(description=_("détail"))
    def detail_text(self, event):
        # Accents as they are, not as \u escapes.
        return json.dumps(event.detail, ensure_ascii=False, sort_keys=True)
