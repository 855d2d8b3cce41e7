"""English URLs for pages whose French slug is their identity."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class EnglishSlugModel(models.Model):
    """A page with an optional English slug: /en/partners/destinations/germany/.

    The French `slug` stays the object's identity (natural keys, fixtures, links that
    were shared); `slug_en` only names the English page, which the French slug still
    reaches, by a redirect (see `url_slug` and `slug_matches`).
    """

    slug_en = models.SlugField(
        _("identifiant d’URL en anglais"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Facultatif. Sans lui, la page anglaise reprend l’identifiant français."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Blank is stored as NULL: any number of pages may have no English slug.
        self.slug_en = self.slug_en or None
        super().save(*args, **kwargs)

    @property
    def url_slug(self) -> str:
        """The slug of this page's URL in the active language."""
        if get_language() == "en" and self.slug_en:
            return self.slug_en
        return self.slug  # type: ignore[attr-defined]  # the concrete model's own field


def slug_matches(slug: str) -> Q:
    """The page that a URL's slug names, in either language."""
    return Q(slug_en=slug) | Q(slug=slug)
