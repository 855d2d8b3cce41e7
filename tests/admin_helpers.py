"""Posting admin pages as a browser would, shared by the admin tests."""

from django.db.models.fields.files import FieldFile
from django.forms import MultiWidget


def form_data(response) -> dict:
    """What the browser would post back from an admin add/change page left as it is."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            widget = field.field.widget
            if isinstance(widget, MultiWidget):  # the admin's date and time, posted as two inputs
                parts = widget.decompress(value)
                assert parts is not None
                for index, part in enumerate(parts):
                    if part is not None:
                        data[f"{field.html_name}_{index}"] = part.isoformat()
            elif value is None or value is False or isinstance(value, FieldFile):
                continue  # unchecked boxes and untouched files are not posted
            elif value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(getattr(item, "pk", item)) for item in value]
            else:
                data[field.html_name] = str(value)
    return data


def inline_formset(response, prefix: str):
    return next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == prefix)
