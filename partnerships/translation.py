"""The partner catalogue's texts in French and English (django-modeltranslation).

Each field listed here gets a French and an English column (`name_fr`, `name_en`); reading
`name` gives the active language's text, or the French one where no English has been
written. Slugs are not translated here: the French slug is each object's stable identity
(natural keys, fixtures); the English URL uses `slug_en`, a field of its own.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from partnerships.models import (
    Agreement,
    Destination,
    FundingPeriod,
    Institution,
    Network,
    NetworkMembership,
    NetworkObjective,
    Programme,
)


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "short_name")


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = (
        "name",
        "short_name",
        "summary",
        "introduction",
        "history",
        "general_objective",
        "objectives_introduction",
        "closing_text",
    )


@register(NetworkObjective)
class NetworkObjectiveTranslation(TranslationOptions):
    fields = ("title", "text")


@register(FundingPeriod)
class FundingPeriodTranslation(TranslationOptions):
    fields = ("funder", "label")


@register(NetworkMembership)
class NetworkMembershipTranslation(TranslationOptions):
    fields = ("note",)


@register(Institution)
class InstitutionTranslation(TranslationOptions):
    fields = ("name", "short_name", "city", "current_identity", "description")


@register(Destination)
class DestinationTranslation(TranslationOptions):
    fields = ("name", "introduction")


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "scope")


# The audit trail of a translated model is registered here, after its French and English
# fields exist, so that each change records both languages (declared in the model's class,
# the trail would be built before those fields, and could not store them).
for model in (Programme, Network, NetworkObjective, FundingPeriod, NetworkMembership, Destination):
    track_history(model, manager_name="audit_trail")
track_history(Institution, manager_name="audit_trail", excluded_fields=["search_text"])
track_history(Agreement, manager_name="audit_trail", m2m_fields=[Agreement._meta.get_field("programmes")])
