"""Natural keys, so that the seed fixtures name objects by slug or code, never by database id."""

from typing import ClassVar

from django.db import models


class NaturalKeyManager(models.Manager):
    """Looks objects up by the model's `NATURAL_KEY` lookups, e.g. ("network__slug", "order")."""

    def get_by_natural_key(self, *values):
        natural_key: tuple[str, ...] = self.model.NATURAL_KEY  # type: ignore[attr-defined]  # NaturalKeyModel's
        return self.get(**dict(zip(natural_key, values, strict=True)))


class NaturalKeyModel(models.Model):
    NATURAL_KEY: ClassVar[tuple[str, ...]] = ()

    objects = NaturalKeyManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        values = []
        for lookup in self.NATURAL_KEY:
            value = self
            for part in lookup.split("__"):
                value = getattr(value, part)
            values.append(value)
        return tuple(values)
