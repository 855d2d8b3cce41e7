from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.models.natural_keys import NaturalKeyModel
from partnerships.vocabularies import IscedFieldValidator

isced_code_validator = IscedFieldValidator()


class Programme(NaturalKeyModel):
    """A French diploma or qualification of social work that an agreement can cover."""

    NATURAL_KEY = ("code",)

    code = models.CharField(
        _("sigle"), max_length=20, unique=True, help_text=_("Sigle officiel, par exemple DEES.")
    )
    name = models.CharField(_("intitulé"), max_length=200)
    short_name = models.CharField(
        _("désignation courte"),
        max_length=100,
        blank=True,
        help_text=_("Comment on nomme ses diplômés, par exemple « éducateurs spécialisés »."),
    )
    level = models.PositiveSmallIntegerField(
        _("niveau"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("Niveau du cadre national des certifications (2019), aligné sur le CEC (EQF)."),
    )
    level_confirmed = models.BooleanField(
        _("niveau confirmé"),
        default=True,
        help_text=_(
            "Décochez si le niveau n’est pas établi par une source sûre : il sera affiché « à confirmer »."
        ),
    )
    isced_code = models.CharField(
        _("code ISCED-F"),
        max_length=4,
        blank=True,
        validators=[isced_code_validator],
        help_text=_("Domaine d’études ISCED-F 2013 à 4 chiffres, par exemple 0923."),
    )

    # Every create, change and delete, with who, when and the old and new values.
    # Its audit trail is registered in translation.py, once its French and English fields exist.
    audit_trail: ClassVar[Any]

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__gte=1, level__lte=8),
                name="programme_level_1_to_8",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
