"""Slugs and codes that no row has yet, so that a second run adds rows beside the first."""

import unicodedata

from django.db import models
from django.utils.text import slugify


class UniqueSlugs:
    """Hands out slugs unused by a model, in its `slug` and `slug_en` columns alike.

    Both columns are searched when a URL is resolved (`slug_matches`), so a slug must be free in
    both: an English slug equal to another page's French one would make two pages answer.
    """

    def __init__(self, model: type[models.Model], max_length: int, *, english: bool = True) -> None:
        columns = ["slug", "slug_en"] if english else ["slug"]
        self.max_length = max_length
        self.taken: set[str] = set()
        for column in columns:
            self.taken.update(
                value for value in model._default_manager.values_list(column, flat=True) if value
            )

    def make(self, text: str) -> str:
        base = slugify(text)[: self.max_length - 7].strip("-") or "page"
        slug, number = base, 1
        while slug in self.taken:
            number += 1
            slug = f"{base}-{number}"
        self.taken.add(slug)
        return slug


def ascii_upper(text: str) -> str:
    """ "Liège" → "LIEGE": the letters of a name as Erasmus codes write them."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(letter for letter in plain.upper() if "A" <= letter <= "Z")


def ascii_lower(text: str) -> str:
    return ascii_upper(text).lower()
