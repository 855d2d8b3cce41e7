from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
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
    request = context.get("request")
    if request is None:  # a page rendered without a request (the 500 page) has no other versions
        return []
    # A page about one object (`page_object` in its context) is, in each language, that
    # object's own address there, English slug included.
    page_object = context.get("page_object")
    versions = []
    for code, _name in settings.LANGUAGES:
        if page_object is not None:
            with translation.override(code):
                path = page_object.get_absolute_url()
        else:
            path = translate_url(request.get_full_path(), code)
        versions.append(
            LanguageVersion(
                code=code,
                name_local=get_language_info(code)["name_local"],
                path=path,
                absolute_url=site_url(path),
            )
        )
    return versions


@register.filter
def site_url(path: str) -> str:
    """The absolute address of `path` on the site's own domain (PORTAL_BASE_URL).

    Never built from the request's Host header: it names a page the same way whichever address
    the request came through, and a forged Host can neither be echoed into the page nor break it.
    """
    return f"{settings.PORTAL_BASE_URL}{path}"


TITLE_MAX_LENGTH = 90


@register.simple_tag
def page_title(*parts: object, separator: str = " | ", limit: int = TITLE_MAX_LENGTH) -> str:
    """A window title from its parts, at most 90 characters: the longest part is shortened first.

    Tabs, bookmarks and screen readers announce the title first, so it stays short enough to
    read whole, while every part (the object, the page, the site) keeps a recognisable start.
    """
    texts = [" ".join(str(part).split()) for part in parts if part]
    while len(separator.join(texts)) > limit:
        longest = max(range(len(texts)), key=lambda index: len(texts[index]))
        excess = len(separator.join(texts)) - limit
        keep = max(len(texts[longest]) - excess - 1, 12)
        if keep >= len(texts[longest]) - 1:
            break
        texts[longest] = texts[longest][:keep].rstrip(" ,;:—-") + "…"
    return separator.join(texts)


@register.filter(is_safe=True)
def fit_title(value: str, site_name: str) -> str:
    """A public page's title ended by the site's name, shortened at a word to 90 characters.

    The page's own part is shortened, never the site's name, and at a space, so that an
    escaped character (``&amp;``) is never cut in two.
    """
    page = " ".join(str(value).split())
    suffix = f" — {site_name}"
    if len(page) + len(suffix) <= TITLE_MAX_LENGTH:
        return page + suffix
    room = TITLE_MAX_LENGTH - len(suffix) - 1
    shortened = page[:room].rsplit(" ", 1)[0].rstrip(" ,;:—-")
    return f"{shortened}…{suffix}"
