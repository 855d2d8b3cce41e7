"""The admin lists' exports: the list as filtered and searched on screen, every page of it,
as CSV or XLSX, to staff with the export permission, each export leaving an `AuditEvent`.

Shared by the applications' and the agreements' lists.
"""

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG, ORDER_VAR, PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from backoffice.exports import formats
from backoffice.exports.formats import Row
from backoffice.services.audit import export_record

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    # What the mixin builds on, for the type checker; at run time it mixes into a ModelAdmin.
    _ModelAdmin = ModelAdmin
else:
    _ModelAdmin = object

# Query-string parameters of the list page that mean nothing to the export: it takes every
# page of the filtered list.
EXPORT_IGNORED_PARAMS = (PAGE_VAR, ERROR_FLAG)
# Kept for the export (the rows come in the list's order) but not a filter worth auditing.
NOT_FILTERS = (ORDER_VAR,)


class ChangelistExportMixin(_ModelAdmin):
    """Export buttons on a ModelAdmin's list page, and the views behind them.

    Set `export_permission` ("app.codename"), `export_subject` (the audit log's « objet »),
    `export_stem` (the file name's start) and implement `export_rows(queryset)`.
    """

    export_permission: str
    export_subject: str
    export_stem: str
    export_formats = ("csv", "xlsx")

    def export_rows(self, queryset: QuerySet) -> Iterable[Row]:
        raise NotImplementedError

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm(self.export_permission) and self.has_view_permission(request)

    def export_url_name(self, file_format: str) -> str:
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        return name if file_format == "csv" else f"{name}_{file_format}"

    def get_urls(self):
        # Before the default URLs, whose "<object_id>/" pattern would otherwise catch them.
        wrap = self.admin_site.admin_view
        own = [
            path(
                "export/" if file_format == "csv" else f"export/{file_format}/",
                wrap(self.export_view),
                {"file_format": file_format},
                name=self.export_url_name(file_format),
            )
            for file_format in self.export_formats
        ]
        return [*own, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_export_permission(request):
            extra_context["export_urls"] = {
                file_format: reverse(f"{self.admin_site.name}:{self.export_url_name(file_format)}")
                for file_format in self.export_formats
            }
            # The CSV button's address, as the applications' list template has always read it.
            extra_context["export_url"] = extra_context["export_urls"]["csv"]
        return super().changelist_view(request, extra_context)

    def export_view(self, request, file_format: str):
        """The list as filtered and searched on the list page, every page of it, as a file."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        params = request.GET.copy()
        for name in EXPORT_IGNORED_PARAMS:
            params.pop(name, None)
        request.GET = params
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            messages.error(request, _("Ces filtres ne sont pas valides : rien n’a été exporté."))
            return redirect(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")
        # In French, as the whole back office is (irts_portal.middleware.FrenchAdminMiddleware).
        rows = _in_language(self.export_rows(changelist.queryset), translation.get_language())
        response = formats.export_response(
            rows,
            file_format=file_format,
            sheet_title=str(self.opts.verbose_name_plural).capitalize(),
            stem=self.export_stem,
        )
        # Recorded before the first byte leaves, with the list's own count (the COUNT query the
        # list page runs): a download cut short has still shown its first rows, so it is recorded
        # all the same, and the record never waits on how fast the client reads.
        # The filters' names only: a search can hold a person's name, which has no place in the logs.
        filters = [name for name in params if name not in NOT_FILTERS]
        export_record(
            actor=request.user,
            subject=self.export_subject,
            file_format=file_format,
            row_count=changelist.result_count,
            filters=filters,
        )
        logger.info(
            "%s exported as %s by user %s, filtered by %s",
            self.export_subject,
            file_format,
            request.user.pk,
            sorted(filters),
        )
        return response


def _in_language(rows: Iterable[Row], language: str) -> Iterator[Row]:
    """The rows, their labels translated into `language`: a streamed file is written after the
    view has returned, when the request's language may no longer be the one in force."""
    with translation.override(language):
        yield from rows
