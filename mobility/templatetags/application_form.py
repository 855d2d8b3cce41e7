"""The application form's fields, rendered once per call and language while nobody has typed.

crispy-forms takes most of the form page's time (about three quarters of it), yet an empty form is
the same for every visitor but for its one-time submission key. So the empty form is rendered
once, with a stand-in key, stored under the content version (partnerships.content_version: any
change to the call, its destinations, documents or the partners bumps it) and the language, and
each visitor gets that HTML with their own key put in. A form sent back with errors is rendered
in full, with what the person typed. The CSRF token stays in the page's template, per request.
"""

from crispy_forms.utils import render_crispy_form
from django import template
from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from mobility.forms import ApplicationForm
from partnerships.content_version import content_version

register = template.Library()

# Only these characters, which no HTML escaping changes, so that the key is found in the output.
KEY_STAND_IN = "submission-key-stand-in-0000000000000000000000"
FIELDS_TIMEOUT_SECONDS = 3600


@register.simple_tag(takes_context=True)
def application_fields(context, form: ApplicationForm) -> SafeString:
    if form.is_bound:
        return render_crispy_form(form, helper=form.helper, context=context.flatten())
    key = f"application-fields:{content_version().key}:{form.call.pk}:{get_language()}"
    pages = caches["pages"]
    html = pages.get(key)
    if html is None:
        empty = ApplicationForm(call=form.call, initial={**form.initial, "submission_key": KEY_STAND_IN})
        html = str(render_crispy_form(empty, helper=empty.helper, context=context.flatten()))
        pages.set(key, html, timeout=FIELDS_TIMEOUT_SECONDS)
    # The key is url-safe base64 (secrets.token_urlsafe): nothing in it needs escaping.
    return mark_safe(html.replace(KEY_STAND_IN, form.initial["submission_key"]))  # noqa: S308
