"""What the back office's ModelAdmins share: the audited history pages, read-only admins, styles.

`AuditedAdmin`'s history pages show every change with who, when, and each field's old and new value.
"""

from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from simple_history.admin import SimpleHistoryAdmin

from backoffice.admin.changelist import ChangeListMixin

RELATED_HISTORY_LIMIT = 200

# Files rather than inline styles: the Content-Security-Policy allows no inline style.
MOBILITY_CSS = {"all": ["admin/mobility/admin.css"]}
PARTNERSHIPS_CSS = {"all": ["admin/partnerships/admin.css"]}


def fieldset_fields(fieldsets, *, editable: tuple[str, ...] = ()) -> list[str]:
    """Every field the fieldsets show, but `editable`: the read-only fields of a page that shows
    what someone else wrote (an application, a message, a testimonial). Rows of several fields
    (tuples) are left out, as none of those pages has one."""
    return [
        field
        for _name, options in fieldsets
        for field in options["fields"]
        if isinstance(field, str) and field not in editable
    ]


class AuditedAdmin(ChangeListMixin, SimpleHistoryAdmin):
    """A ModelAdmin whose "History" page reads the django-simple-history audit trail.

    `related_histories` adds the changes of rows edited inline on this page (an agreement's
    mobility terms, a network's members…), so that one page tells the whole story.
    """

    object_history_list_template = "admin/audit/object_history_list.html"
    related_histories: tuple[tuple[type[Model], str], ...] = ()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The page of one past version saves what is posted to it (a "revert"), with only a
        # view permission checked: that would let read-only roles change data and bypass the
        # services. Looking is fine; posting is refused to everyone.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def history_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "related_changes": self._related_changes(object_id)}
        return super().history_view(request, object_id, extra_context=extra_context)

    def _related_changes(self, object_id) -> list:
        records = []
        for model, parent_field in self.related_histories:
            trail = model.audit_trail  # type: ignore[attr-defined]  # added by django-simple-history
            history = trail.filter(**{f"{parent_field}_id": object_id})
            for record in history.select_related("history_user").order_by("-history_date")[
                :RELATED_HISTORY_LIMIT
            ]:
                previous = record.prev_record
                record.delta = record.diff_against(previous).changes if previous else ()
                record.model_label = model._meta.verbose_name
                records.append(record)
        return sorted(records, key=lambda record: record.history_date, reverse=True)


class ReadOnlyAdminMixin:
    """For records that code writes and staff only consult (the audit log, the seed records):
    no add, change or delete in the admin, not even for superusers."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NamedEmptyChoiceAutocomplete(AutocompleteSelect):
    """The admin's search-as-you-type select, whose "no choice" option has a text.

    Django renders that option empty, which HTML forbids (an option needs a text or a label)
    and which reads as nothing at all without JavaScript; the script still treats it as the
    placeholder, since it is recognised by its empty value.
    """

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        if value == "":
            label = "—"
        return super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)


class ChipsOnlyAutocompleteMultiple(AutocompleteSelectMultiple):
    """The admin's search-as-you-type multiple select, without its "clear all" button.

    Each chosen item has its own remove button already; select2 puts the extra one, a <span>,
    straight inside the list of chosen items, which HTML lists forbid (axe: "list").
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs=extra_attrs), "data-allow-clear": "false"}


class AutocompleteWithEmptyChoiceMixin(BaseModelAdmin):
    """Use NamedEmptyChoiceAutocomplete for a ModelAdmin's or inline's `autocomplete_fields`."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedEmptyChoiceAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
