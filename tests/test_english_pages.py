"""The English site reads in English: French that shows through is marked lang="fr".

On every English page reachable from /en/ (and an applicant's follow-up pages), the text
outside lang="fr" elements is checked for French sentences: fewer than 2 % of its words may
be French function words (which English never uses). The institutions' own names, which stay
French in English text, are set aside. Each page's share is printed, for the record.
"""

import re
from html.parser import HTMLParser

import pytest

from partnerships.models import Institution
from tests.pages import crawl_public_pages, journey_pages, seed_content

# Words that only French uses: articles, prepositions, pronouns and conjunctions.
FRENCH_STOP_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "l",
        "des",
        "du",
        "de",
        "d",
        "un",
        "une",
        "et",
        "est",
        "sont",
        "été",
        "au",
        "aux",
        "à",
        "dans",
        "pour",
        "par",
        "sur",
        "avec",
        "sans",
        "sous",
        "qui",
        "que",
        "qu",
        "ce",
        "cette",
        "ces",
        "cet",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "notre",
        "nos",
        "votre",
        "vos",
        "il",
        "elle",
        "ils",
        "elles",
        "nous",
        "vous",
        "ne",
        "pas",
        "plus",
        "ou",
        "où",
        "mais",
        "donc",
        "car",
        "comme",
        "aussi",
        "entre",
        "depuis",
        "chez",
        "vers",
        "très",
        "être",
        "avoir",
        "fait",
        "en",
        "y",
        "se",
        "n",
    ]
)
MAX_FRENCH_SHARE = 0.02
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _EnglishText(HTMLParser):
    """The words of a page's body that a screen reader reads with the page's English voice."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.words: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in VOID:
            return
        attributes = dict(attrs)
        # Marked French, never shown (scripts, styles) or never read (aria-hidden, e.g. monograms).
        french = (
            (attributes.get("lang") or "").startswith("fr")
            or tag in ("script", "style")
            or attributes.get("aria-hidden") == "true"
        )
        self.stack.append((tag, french))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.in_body and not any(french for _tag, french in self.stack):
            self.words += re.findall(r"[a-zàâçéèêëîïôûùüÿœæ]+", data.lower())


def french_share(html: str, proper_names: list[str]) -> tuple[float, list[str]]:
    """The share of French function words in the English-read text, once the institutions'
    own names are set aside: "Haute École Louvain en Hainaut" is a name, not French prose."""
    for name in proper_names:
        html = html.replace(name, " ")
    parser = _EnglishText()
    parser.feed(html)
    french = [word for word in parser.words if word in FRENCH_STOP_WORDS]
    return (len(french) / len(parser.words) if parser.words else 0.0), french


@pytest.mark.django_db
def test_english_pages_show_no_unmarked_french(client):
    seed_content()
    pages = crawl_public_pages("en", client).pages
    journey = journey_pages("en")
    client.cookies["sessionid"] = journey.session_key
    pages += [page for page in journey.pages if not page.action]
    # Longest first, so that a name is never cut by a shorter one inside it.
    proper_names = sorted(Institution.objects.values_list("name_fr", flat=True), key=len, reverse=True)
    shares = {}
    for page in pages:
        html = client.get(page.path).content.decode()
        shares[page.path] = french_share(html, proper_names)
    worst = sorted(shares.items(), key=lambda item: -item[1][0])
    print("\nFrench share of unmarked words on English pages (worst first):")
    for path, (share, words) in worst[:10]:
        print(f"  {share:6.2%}  {path}  {' '.join(words[:12])}")
    too_french = {path: share for path, (share, _words) in shares.items() if share >= MAX_FRENCH_SHARE}
    assert not too_french, f"{len(too_french)} English page(s) with unmarked French: {too_french}"
    assert len(shares) >= 35
