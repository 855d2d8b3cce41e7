"""The application form's fields, laid out by crispy-forms with the form's helper."""

from crispy_forms.utils import render_crispy_form
from django import template
from django.utils.safestring import SafeString

from mobility.forms import ApplicationForm

register = template.Library()


@register.simple_tag(takes_context=True)
def application_fields(context, form: ApplicationForm) -> SafeString:
    return render_crispy_form(form, helper=form.helper, context=context.flatten())
