from collections.abc import Sequence
from typing import Any, cast, overload

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.utils.translation import get_language

from partnerships.models import Destination, Institution, Network


class InEachLanguage(Sequence[tuple[Model, str]]):
    """The (item, language) pairs of a queryset, read one slice at a time.

    Django's translated sitemaps list these pairs for every item before taking a page of them:
    each file of the index would then load the whole catalogue.
    """

    def __init__(self, items: QuerySet, languages: Sequence[str]) -> None:
        self.items = items
        self.languages = languages

    def __len__(self) -> int:
        return self.items.count() * len(self.languages)

    @overload
    def __getitem__(self, index: int) -> tuple[Model, str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Model, str]]: ...
    def __getitem__(self, index: int | slice) -> tuple[Model, str] | list[tuple[Model, str]]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        per_item = len(self.languages)
        first_item = index.start // per_item
        last_item = -(-index.stop // per_item)  # rounded up
        read = [(item, language) for item in self.items[first_item:last_item] for language in self.languages]
        skipped = first_item * per_item
        return read[index.start - skipped : index.stop - skipped]


class TranslatedSitemap(Sitemap):
    """A section of model pages in every language, with their alternates, read a page at a time."""

    i18n = True
    alternates = True
    changefreq = "monthly"
    # Addresses per file of a section, each language counting once: a file stays quick to build
    # and small, far below the protocol's 50,000; the sitemap index lists every file.
    limit = 1000

    def __init__(self) -> None:
        self.locations: dict[tuple[Any, str | None], str] = {}

    @property
    def paginator(self) -> Paginator:
        languages = self.languages or [code for code, _name in settings.LANGUAGES]
        return Paginator(InEachLanguage(cast(QuerySet, self.items()), languages), self.limit)

    def location(self, item: Any) -> str:
        # Each address is written three times: as an entry and as its alternates' alternate.
        key = (item.pk, get_language())
        if key not in self.locations:
            self.locations[key] = item.get_absolute_url()
        return self.locations[key]


class InstitutionSitemap(TranslatedSitemap):
    def items(self):
        return Institution.objects.filter(is_public=True).only("pk", "slug", "slug_en").order_by("slug")


class DestinationSitemap(TranslatedSitemap):
    def items(self):
        return Destination.objects.order_by("position", "slug")


class NetworkSitemap(TranslatedSitemap):
    def items(self):
        return Network.objects.order_by("position", "slug")
