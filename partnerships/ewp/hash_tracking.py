"""Each agreement's `iia_hash` follows its cooperation conditions: recomputed whenever the
agreement, one of its parties or one of its mobility terms is saved or deleted, and saved only
when it changes, so that the audit trail (django-simple-history) records each new hash with who
made the change and when. Bulk writes (`QuerySet.update`, `bulk_create`) send no signal: code that
uses them on agreements calls `agreement_iia_hash_refresh` itself."""

from django.db.models.signals import post_delete, post_save

from partnerships.ewp.iia_export import exportable, iia_element, iia_problems, own_institution
from partnerships.ewp.iia_hash import iia_hash
from partnerships.models import Agreement, AgreementParty, MobilityTerm


def agreement_iia_hash_refresh(agreement_id: int) -> None:
    agreement = exportable(Agreement.objects.filter(pk=agreement_id)).first()
    if agreement is None:  # deleted, its terms and parties with it
        return
    own = own_institution()
    current = "" if own is None or iia_problems(agreement, own) else iia_hash(iia_element(agreement, own))
    if current != agreement.iia_hash:
        agreement.iia_hash = current
        agreement.save(update_fields=["iia_hash"])


def _agreement_saved(sender, instance: Agreement, update_fields=None, raw: bool = False, **kwargs) -> None:
    if raw or (update_fields is not None and set(update_fields) == {"iia_hash"}):
        return
    agreement_iia_hash_refresh(instance.pk)


def _part_changed(sender, instance: MobilityTerm | AgreementParty, raw: bool = False, **kwargs) -> None:
    if raw or _agreement_deleted(kwargs.get("origin")):
        return
    agreement_iia_hash_refresh(instance.agreement_id)


def _agreement_deleted(origin) -> bool:
    """The deletion started from agreements (`origin`): their parts go with them, no hash to keep."""
    model = getattr(origin, "model", type(origin))
    return isinstance(model, type) and issubclass(model, Agreement)


def track_iia_hashes() -> None:
    post_save.connect(_agreement_saved, sender=Agreement, dispatch_uid="iia-hash:agreement")
    for model in (MobilityTerm, AgreementParty):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"iia-hash:{model.__name__}:save")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"iia-hash:{model.__name__}:delete")
