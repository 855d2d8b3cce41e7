from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name_local: str
    path: str
    absolute_url: str


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[LanguageVersion]:
    """The current page in each site language.

    Translated here, while the page's own language is active: Django's
    set_language can only translate a URL whose prefix matches the language
    of the request that posts to it, which follows the browser's preferences
    and not the page being read.
    """
    request = context["request"]
    versions = []
    for code, _name in settings.LANGUAGES:
        path = translate_url(request.get_full_path(), code)
        versions.append(
            LanguageVersion(
                code=code,
                name_local=get_language_info(code)["name_local"],
                path=path,
                absolute_url=request.build_absolute_uri(path),
            )
        )
    return versions
