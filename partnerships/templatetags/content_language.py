"""Marking French text that shows through on an English page.

A translated field (see translation.py) shows the French text where no English has been
written yet. Screen readers must then read it with a French voice, so the element around it
says lang="fr":

    {{ institution|in_language:"name" }}           the text, in <span lang="fr"> when French
    <div{{ network|lang_if_other:"history" }}>      ' lang="fr"' on an element of your own
"""

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from partnerships.content_language import falls_back

register = template.Library()


@register.filter
def in_language(obj: object, field: str) -> SafeString:
    """The field's text, escaped, inside <span lang="fr"> when it is a French fallback."""
    value = getattr(obj, field, "") or ""
    if falls_back(obj, field):
        return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, value)
    return conditional_escape(value)


@register.filter
def lang_if_other(obj: object, field: str) -> SafeString:
    """' lang="fr"' for the element that holds the field's text, when that text is French."""
    if falls_back(obj, field):
        return mark_safe(f' lang="{settings.LANGUAGE_CODE}"')  # noqa: S308  # a setting, not input
    return mark_safe("")


@register.filter
def official_title(programme: object) -> SafeString:
    """A diploma's official French title; on an English page, marked lang="fr" and followed by
    its English gloss when one is written: "Diplôme d’État … (State Diploma in Social Work)"."""
    french = getattr(programme, build_localized_fieldname("name", settings.LANGUAGE_CODE), "") or ""
    page_language = get_language() or settings.LANGUAGE_CODE
    if page_language == settings.LANGUAGE_CODE:
        return conditional_escape(french)
    gloss = getattr(programme, build_localized_fieldname("name", page_language), "") or ""
    if gloss:
        return format_html('<span lang="{}">{}</span> ({})', settings.LANGUAGE_CODE, french, gloss)
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, french)
