"""Reduce the French catalogue to the French plural forms of our own texts.

French is the source language, so our French texts need no translation, and without a
French catalogue Django shows them as written. But gettext then counts in English: "0
établissements". This command, run by `make messages` after makemessages, keeps only the
plural entries of locale/fr, each translated by itself, under French's plural rule (0 and
1 are singular). Singular entries are dropped: kept as their own translation, the
English texts of Django's admin templates that we override would hide Django's French.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

FRENCH_PLURAL_FORMS = "nplurals=2; plural=(n > 1);"


class Command(BaseCommand):
    help = "Keep only the plural entries of the French catalogue, each translated by itself."

    def handle(self, *args, **options):
        import polib  # a development tool, installed with requirements-dev.txt

        path = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path), wrapwidth=0)
        for entry in [entry for entry in catalogue if not entry.msgid_plural or entry.obsolete]:
            catalogue.remove(entry)
        for entry in catalogue:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        catalogue.metadata.update({"Language": "fr", "Plural-Forms": FRENCH_PLURAL_FORMS})
        catalogue.metadata_is_fuzzy = False
        catalogue.header = (
            "The portal's French plural forms: see irts_portal/management/commands/french_plurals.py."
        )
        catalogue.save(str(path))
        self.stdout.write(f"French catalogue: {len(catalogue)} plural entries.")
