"""French typography for the pages the portal sends in French.

French sets a narrow no-break space (U+202F) before « ; : ! ? » and inside « », and writes the
first day of a month as an ordinal: « 1er septembre ». The sources (templates, translations,
staff-edited texts) use ordinary spaces; the pages are set right here, in one place, so that
no author has to type invisible characters and a line never breaks before a colon.
"""

import re

NARROW_NBSP = "\u202f"

_BEFORE_PUNCTUATION = re.compile(r"[ \u00a0]+([;:!?»])")
_AFTER_OPENING_QUOTE = re.compile(r"«[ \u00a0]+")
_FIRST_OF_MONTH = re.compile(
    r"(?<![\d.,])\b1 (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b"
)
# Text inside these elements is left as it is: what a person typed, code and scripts.
_RAW_ELEMENTS = ("textarea", "pre", "code", "script", "style")
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
# What any of the rules above could change: most text between tags is indentation or plain
# words, and looking for these first is several times cheaper than running the rules on it.
_MAY_NEED_TYPESETTING = re.compile(r"[;:!?»«]|1 ")


def typeset_french(text: str) -> str:
    """Plain French text with its spaces and ordinals set."""
    text = _BEFORE_PUNCTUATION.sub(NARROW_NBSP + r"\1", text)
    text = _AFTER_OPENING_QUOTE.sub("«" + NARROW_NBSP, text)
    return _FIRST_OF_MONTH.sub(r"1er \1", text)


def typeset_french_html(html: str) -> str:
    """The same for an HTML page: text between tags only, never attributes or raw elements."""
    parts = _TAG.split(html)
    raw_depth = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            match = _TAG_NAME.match(part)
            if match and match.group(2).lower() in _RAW_ELEMENTS and not part.endswith("/>"):
                raw_depth = max(raw_depth + (-1 if match.group(1) else 1), 0)
        elif not raw_depth and _MAY_NEED_TYPESETTING.search(part):
            parts[index] = typeset_french(part)
    return "".join(parts)
