import unicodedata


def search_normalize(text: str) -> str:
    """Lower-case, accent-free, apostrophe- and dash-neutral form of a text, for searching.

    "Montérégie" and "monteregie", "Würzburg" and "wurzburg", "l’Estrie" and
    "l'estrie" all become the same string, on every database.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    for typographic, plain in (("’", "'"), ("‘", "'"), ("–", "-"), ("—", "-")):
        without_accents = without_accents.replace(typographic, plain)
    return " ".join(without_accents.split())
