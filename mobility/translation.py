"""A call's texts in French and English (django-modeltranslation); see partnerships/translation.py."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from mobility.models import Call


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "description")


# Registered after its translated fields exist: see partnerships/translation.py.
track_history(Call, manager_name="audit_trail")
