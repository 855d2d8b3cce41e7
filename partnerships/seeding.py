"""Loading the site's seed content without ever overriding staff's work."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import transaction
from django.utils import translation

from partnerships.content_version import bump_content_version
from partnerships.models import SeedRecord


@dataclass
class SeedReport:
    added: int = 0
    skipped: int = 0
    # Existing objects that received English texts they did not have yet.
    translated: int = 0


def _english_fields(model) -> list[str]:
    """The English columns of a model: its translated fields' and its English slug."""
    return [field.attname for field in model._meta.concrete_fields if field.name.endswith("_en")]


def _existing(instance):
    """The stored object that a fixture object stands for, if any."""
    model = type(instance)
    if hasattr(instance, "natural_key"):
        try:
            return model._default_manager.get_by_natural_key(*instance.natural_key())
        except model.DoesNotExist:
            return None
    return model._default_manager.filter(pk=instance.pk).first() if instance.pk is not None else None


def _fill_english(instance) -> bool:
    """Give the stored object the fixture's English texts where it has none; never overwrite one."""
    offered = [name for name in _english_fields(type(instance)) if getattr(instance, name)]
    if not offered:  # nothing to give: no need to look the stored object up
        return False
    existing = _existing(instance)
    if existing is None:
        return False
    filled = [name for name in offered if not getattr(existing, name)]
    for name in filled:
        setattr(existing, name, getattr(instance, name))
    if filled:
        existing.save(update_fields=filled)
    return bool(filled)


def _seed_key(instance) -> str:
    """A stable identity for a fixture object: its natural key, or else its primary key."""
    label = instance._meta.label_lower
    if hasattr(instance, "natural_key"):
        return f"{label}:{json.dumps(list(instance.natural_key()), ensure_ascii=False)}"
    return f"{label}:{instance.pk}"


@transaction.atomic
def seed_load(*, fixture_paths: list[Path]) -> SeedReport:
    """Add the objects of the fixtures that were never loaded before, in file order.

    An object already handled by an earlier run is skipped even if staff have
    since changed or deleted it; one that already exists (by natural key or
    primary key) is recorded and left untouched, except that its English texts
    that are still empty are filled from the fixture (staff's own are kept).
    """
    # French is the fixtures' language: `name` and natural keys read the French columns.
    with translation.override(settings.LANGUAGE_CODE):
        report = _seed_load(fixture_paths)
    # Whatever the run wrote (some of it through bulk updates, which send no signal), the public
    # pages stored before it are retired.
    bump_content_version()
    transaction.on_commit(bump_content_version)
    return report


def _seed_load(fixture_paths: list[Path]) -> SeedReport:
    report = SeedReport()
    seen = set(SeedRecord.objects.values_list("key", flat=True))
    for path in fixture_paths:
        with path.open(encoding="utf-8") as stream:
            objects = serializers.deserialize("json", stream, handle_forward_references=True)
            deferred = []
            for deserialized in objects:
                instance = deserialized.object
                key = _seed_key(instance)
                if key in seen:
                    report.skipped += 1
                    report.translated += _fill_english(instance)
                    continue
                seen.add(key)
                SeedRecord.objects.create(key=key)
                model = type(instance)
                if instance.pk is not None and model._default_manager.filter(pk=instance.pk).exists():
                    report.skipped += 1
                    report.translated += _fill_english(instance)
                    continue
                # A normal save, not the raw one loaddata uses, so that the model's own
                # save logic (derived fields such as the search text) runs.
                instance.save()
                for field_name, values in (deserialized.m2m_data or {}).items():
                    getattr(instance, field_name).set(values)
                if deserialized.deferred_fields:
                    deferred.append(deserialized)
                report.added += 1
            for deserialized in deferred:
                deserialized.save_deferred_fields()
    return report
