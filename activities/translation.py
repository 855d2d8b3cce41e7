"""An activity's texts in French and English (django-modeltranslation); see partnerships/translation.py."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from activities.models import Activity


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "place", "text")


# Registered after its translated fields exist: see partnerships/translation.py.
track_history(Activity, manager_name="audit_trail", m2m_fields=[Activity._meta.get_field("institutions")])
