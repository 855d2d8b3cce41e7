"""Writes of the partnerships app that are more than saving one form: renewing an agreement,
importing a partner's EWP copy of one.

The admin calls these functions; so would any other screen or command, so that no path
skips the rules (one renewal per agreement) or the audit trail.
"""

import re
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerships.ewp.iia_import import ImportedIIA, matching_agreement
from partnerships.models import Agreement, AgreementParty, Institution, MobilityTerm

# What a renewal adds to its predecessor's slug and title; stripped before adding the next
# one, so that the renewal of a renewal does not read "… (renouvellement …) (renouvellement …)".
RENEWAL_SLUG_SUFFIX = re.compile(r"-renouvellement(-\d{4})?(-\d+)?$")
RENEWAL_TITLE_SUFFIX = re.compile(r"\s*\(renouvellement[^()]*\)$")

# The agreement's own fields that its renewal keeps. The signature, the signed PDF, the
# staff notes and the termination belong to the old text, not to the new one.
COPIED_FIELDS = ("kind", "network", "scope")


class RenewalRefused(ValidationError):
    """The agreement cannot be renewed; `successor` is the renewal that already exists, if any."""

    def __init__(self, message: str, *, successor: Agreement | None = None) -> None:
        super().__init__(message)
        self.successor = successor


def next_period(first: int | None, last: int | None) -> tuple[int | None, int | None]:
    """The academic years of the renewal: the same length, starting the year after the last one.

    Without a last year there is no "after"; without a first year the length is unknown, so
    the renewal's last year is left for staff to fill in.
    """
    if last is None:
        return None, None
    if first is None:
        return last + 1, None
    return last + 1, last + 1 + (last - first)


@transaction.atomic
def agreement_renew(*, agreement: Agreement, actor: AbstractBaseUser | None) -> Agreement:
    """Create the draft that renews `agreement` for the next period, and return it.

    The draft has the same parties, programmes and mobility terms, kind, network and scope;
    it links back to `agreement` through `renews`. Raises RenewalRefused if `agreement`
    already has a renewal: an agreement is followed by one agreement only.
    """
    # Locked, so that two staff members renewing at once cannot both pass the check below.
    predecessor = Agreement.objects.select_for_update().get(pk=agreement.pk)
    existing = Agreement.objects.filter(renews=predecessor).first()
    if existing is not None:
        raise _refusal(predecessor, existing)

    first, last = next_period(predecessor.first_academic_year, predecessor.last_academic_year)
    successor = Agreement(
        **{name: getattr(predecessor, name) for name in COPIED_FIELDS},
        first_academic_year=first,
        last_academic_year=last,
        is_draft=True,
        renews=predecessor,
    )
    successor.title = _renewal_title(predecessor.title, successor)
    successor.slug = _renewal_slug(predecessor.slug, first)
    successor._history_user = actor  # type: ignore[attr-defined]  # who django-simple-history records
    try:
        with transaction.atomic():
            successor.save()
    except IntegrityError as error:
        # Another request renewed it between our check and our write (the OneToOne is unique).
        existing = Agreement.objects.filter(renews=predecessor).first()
        if existing is None:
            raise
        raise _refusal(predecessor, existing) from error

    for party in predecessor.party_links.order_by("pk"):
        _copy_row(party, agreement=successor, actor=actor)
    for term in predecessor.mobility_terms.order_by("pk"):
        _copy_row(term, agreement=successor, actor=actor)
    successor.programmes.set(predecessor.programmes.all())
    return successor


def _refusal(predecessor: Agreement, existing: Agreement) -> RenewalRefused:
    return RenewalRefused(
        _(
            "« %(title)s » a déjà un renouvellement, « %(successor)s » : un accord ne se renouvelle qu’une fois."
        )
        % {"title": predecessor.title, "successor": existing.title},
        successor=existing,
    )


def _copy_row(
    row: AgreementParty | MobilityTerm, *, agreement: Agreement, actor: AbstractBaseUser | None
) -> None:
    """A copy of an agreement's party or term, every field included, attached to `agreement`."""
    model = type(row)
    values = {
        field.attname: getattr(row, field.attname)
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name != "agreement"
    }
    copy = model(agreement=agreement, **values)
    copy._history_user = actor  # type: ignore[union-attr]  # who django-simple-history records
    copy.save()


def _max_length(field_name: str) -> int:
    field = Agreement._meta.get_field(field_name)
    if not isinstance(field, models.CharField) or field.max_length is None:
        raise TypeError(f"Agreement.{field_name} is not a text field with a maximum length")
    return field.max_length


def _renewal_title(title: str, successor: Agreement) -> str:
    base = RENEWAL_TITLE_SUFFIX.sub("", title)
    # Stored data: written in French, the portal's language of record, whatever the admin's language.
    with translation.override(settings.LANGUAGE_CODE):
        period = successor.period_label
        suffix = _("(renouvellement %(period)s)") % {"period": period} if period else _("(renouvellement)")
    max_length = _max_length("title")
    return f"{base[: max_length - len(suffix) - 1].rstrip()} {suffix}"


def _renewal_slug(slug: str, first_year: int | None) -> str:
    base = RENEWAL_SLUG_SUFFIX.sub("", slug)
    suffix = f"renouvellement-{first_year}" if first_year else "renouvellement"
    max_length = _max_length("slug")
    number = 1
    while True:
        tail = suffix if number == 1 else f"{suffix}-{number}"
        candidate = f"{base[: max_length - len(tail) - 1]}-{tail}"
        if not Agreement.objects.filter(slug=candidate).exists():
            return candidate
        number += 1


class IIAImportResult(NamedTuple):
    agreement: Agreement
    created: bool
    partner_created: bool


@transaction.atomic
def agreement_import_iia(
    *,
    imported: ImportedIIA,
    new_partner: dict | None,
    actor: AbstractBaseUser | None,
) -> IIAImportResult:
    """Save a partner's copy of an agreement (read by partnerships.ewp.iia_import) as a draft.

    The partner is the institution with its SCHAC code, or one created, unpublished, from
    `new_partner` (name, country and kind, asked in the preview). A draft that the copy names
    is updated: its academic years, the partner's iia-id and hash, and its mobility terms, which
    become the copy's. Otherwise a new draft is created, beside any signed agreement: a signed
    text is never changed by a file.
    """
    own = Institution.objects.get(is_own=True)
    partner = Institution.objects.filter(schac_code=imported.partner_hei_id).first()
    partner_created = partner is None
    if partner is None:
        if not new_partner:
            raise ValueError("an unknown partner needs its name, country and kind")
        with translation.override(settings.LANGUAGE_CODE):  # its name, in the language of record
            partner = Institution(**new_partner, schac_code=imported.partner_hei_id, is_public=False)
            partner.slug = _free_slug(Institution, slugify(partner.name)[:90] or "etablissement")
            partner._history_user = actor  # type: ignore[attr-defined]  # who django-simple-history records
            partner.save()
    existing = matching_agreement(imported, partner)
    created = existing is None or not existing.is_draft
    if existing is not None and existing.is_draft:
        agreement = existing
    else:
        agreement = Agreement(kind=Agreement.Kind.ERASMUS_IIA, is_draft=True)
        # Stored data: written in French, the portal's language of record.
        with translation.override(settings.LANGUAGE_CODE):
            agreement.title = _("Accord Erasmus+ avec %(partner)s (import EWP)") % {"partner": partner.name}
        agreement.slug = _free_slug(Agreement, slugify(agreement.title)[: _max_length("slug") - 4])
        agreement.network = existing.network if existing else None
    agreement.first_academic_year = imported.first_academic_year
    agreement.last_academic_year = imported.last_academic_year
    agreement.partner_iia_id = imported.partner_iia_id
    agreement.partner_iia_hash = imported.declared_hash
    agreement._history_user = actor  # type: ignore[attr-defined]
    agreement.save()
    if created:
        for institution in (own, partner):
            _saved(AgreementParty(agreement=agreement, institution=institution), actor)
    _replace_terms(agreement, imported, actor)
    return IIAImportResult(agreement, created, partner_created)


def _replace_terms(agreement: Agreement, imported: ImportedIIA, actor: AbstractBaseUser | None) -> None:
    """The agreement's mobility terms become the imported ones; each change is in the audit trail."""
    current = {(term.mobility_type, term.direction): term for term in agreement.mobility_terms.all()}
    for key, term in current.items():
        if key not in {new.key for new in imported.terms}:
            term._history_user = actor  # type: ignore[attr-defined]
            term.delete()
    for new in imported.terms:
        term = current.get(new.key) or MobilityTerm(
            agreement=agreement, mobility_type=new.mobility_type, direction=new.direction
        )
        for name, value in new.values().items():
            setattr(term, name, value)
        term.full_clean()
        _saved(term, actor)


def _saved(row: AgreementParty | MobilityTerm, actor: AbstractBaseUser | None) -> None:
    row._history_user = actor  # type: ignore[union-attr]  # who django-simple-history records
    row.save()


def _free_slug(model: type[models.Model], base: str) -> str:
    """`base`, or `base-2`, `base-3`…: the first that no row of `model` uses."""
    slug, number = base, 1
    while model._default_manager.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
