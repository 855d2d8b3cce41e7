from django.db import models
from django.utils.translation import gettext_lazy as _


class SeedRecord(models.Model):
    """One object of the seed fixtures that `load_seed` has already handled.

    Remembering what was seeded, rather than comparing with what exists, is
    what lets staff edit or delete seed content for good: a later
    `load_seed` never brings back or overwrites an object it has handled once.
    """

    key = models.CharField(_("clé"), max_length=255, unique=True)
    loaded_at = models.DateTimeField(_("chargé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("élément de contenu initial")
        verbose_name_plural = _("éléments de contenu initial")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key
