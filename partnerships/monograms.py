"""The monogram that stands in for a partner's logo until staff upload one."""

import re
import zlib
from dataclasses import dataclass

# One CSS class per colour (`.monogram--0` … in portal.css): the strict Content-Security-Policy
# forbids style attributes, so a colour can only be chosen among classes. Each background keeps
# white initials above 4.5:1 (tests/partnerships/test_cards_and_filters.py reads the stylesheet).
PALETTE_SIZE = 6
MAX_INITIALS = 3

# Little words that would make every monogram start alike ("Université de …", "Centre … de la …").
SKIPPED_WORDS = frozenset(
    {
        # French
        *("a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "sur"),
        # English, German, Italian, Portuguese, Dutch, Spanish
        *("and", "of", "the", "der", "die", "das", "und", "von", "fur", "für"),
        *("di", "da", "do", "dos", "degli", "della", "delle", "dei", "e", "van", "y", "el"),
    }
)
WORD_SEPARATORS = re.compile(r"[\s\-‐‑–—/’'.,()«»\"]+")


@dataclass(frozen=True)
class Monogram:
    initials: str
    palette_class: str


def initials_of(name: str) -> str:
    """Up to three capital initials of the name's significant words: "Université de Parme" → "UP"."""
    words = [word for word in WORD_SEPARATORS.split(name) if word]
    significant = [word for word in words if word.casefold() not in SKIPPED_WORDS] or words
    letters = [next((char for char in word if char.isalnum()), "") for word in significant]
    return "".join(letter for letter in letters if letter)[:MAX_INITIALS].upper()


def monogram_of(name: str) -> Monogram:
    """The name's initials and a colour that depends on the name alone, the same on every page."""
    # crc32, not hash(): Python salts string hashes per process, which would change the colours.
    colour = zlib.crc32(name.strip().encode("utf-8")) % PALETTE_SIZE
    return Monogram(initials=initials_of(name), palette_class=f"monogram--{colour}")
