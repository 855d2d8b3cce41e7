"""Errors of a public form as a page shows them: in a summary at the top and at each field."""

from typing import Any, Protocol

from django import forms
from django.utils.translation import gettext


class SummarisedForm(Protocol):
    def error_summary(self) -> list[tuple[str | None, str]]: ...
    def non_field_errors(self) -> Any: ...

    is_bound: bool


def link_errors_to_fields(form: forms.Form) -> None:
    """Tie each field's error message to its input for screen readers (WCAG 3.3.1)."""
    for name in form.errors:
        if name not in form.fields or form[name].is_hidden:
            continue
        bound = form[name]
        described_by = [f"{bound.auto_id}_error"]
        if form.fields[name].help_text:
            described_by.append(f"{bound.auto_id}_helptext")
        form.fields[name].widget.attrs.update(
            {"aria-describedby": " ".join(described_by), "aria-invalid": "true"}
        )


def error_summary(
    form: forms.Form, *, page_order: list[str], named: frozenset[str] = frozenset()
) -> list[tuple[str | None, str]]:
    """(anchor, message) for the summary at the top of `form`, in `page_order`, the order of the
    fields on the page; fields with an error that the page does not show (hidden) come last,
    with no anchor. The messages of the fields in `named` are preceded by the field's label:
    they speak of "the file" without saying which.
    """
    errors = form.errors
    shown = [name for name in page_order if name in errors]
    others = [name for name in errors if name != "__all__" and name not in shown]
    items: list[tuple[str | None, str]] = []
    for name in [*shown, *others]:
        message = str(errors[name][0])
        if name in named:
            message = gettext("%(document)s : %(message)s") % {
                "document": form.fields[name].label,
                "message": message,
            }
        items.append((_anchor(form, name) if name in shown else None, message))
    return items


def _anchor(form: forms.Form, name: str) -> str:
    anchor = form[name].auto_id
    if isinstance(form.fields[name].widget, forms.RadioSelect):
        anchor = f"{anchor}_0"  # a group of radios: its first radio
    return anchor


def error_summary_context(form: SummarisedForm) -> dict[str, Any]:
    """What templates/includes/error_summary.html needs: the summary and how many errors."""
    summary = form.error_summary() if form.is_bound else []
    return {"error_summary": summary, "error_count": len(summary) + len(form.non_field_errors())}
