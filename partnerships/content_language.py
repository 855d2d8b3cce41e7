"""Which language a translated field's text is in, on the page being built.

A field registered in translation.py shows the French text where no English has been written;
a field that is not translated at all (staff's notes, a document's help text) is French. The
element holding such text must say lang="fr" on an English page (templatetags/content_language.py).
"""

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname


def page_language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def shown_language(obj: object, field: str) -> str:
    """The language of the text `obj.<field>` shows on the current page."""
    language = page_language()
    if language == settings.LANGUAGE_CODE:
        return language
    own_text = getattr(obj, build_localized_fieldname(field, language), None)
    return language if own_text else settings.LANGUAGE_CODE


def falls_back(obj: object, field: str) -> bool:
    """Whether the page shows `obj.<field>` in French although the page is in another language."""
    return bool(getattr(obj, field, "")) and shown_language(obj, field) != page_language()
