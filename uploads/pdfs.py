"""Checking an uploaded PDF by parsing it whole, and refusing one that could act on its own.

A PDF that a viewer may run (JavaScript, a launch action) or that carries other files is refused,
not cleaned: cleaning would rewrite the sender's document behind their back, whereas printing it
to PDF again gives them a plain copy in a minute, and the message tells them so.

Markup that a browser or Windows' HTML application host would run (HTML, a script, an HTA) is
refused anywhere in the bytes, even where a PDF viewer ignores it (a comment, after the end of
the file): downloaded as a .pdf it is inert, but renamed, such a polyglot would run. A real PDF
has no reason to carry it: its text sits in compressed streams or between parentheses.

pypdf reads the file in strict mode: a file that the parser would have to repair is one where our
reading and a viewer's may differ, and a hidden action could sit in that difference.
"""

import re
from collections.abc import Iterator
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

SCRIPT, LAUNCH, EMBEDDED_FILE, MARKUP = "script", "launch", "embedded_file", "markup"

# The start of an HTML page or of what HTML and HTA hosts run.
HIDDEN_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|hta:application)\b", re.IGNORECASE
)

# Keys whose mere presence brings active content: JavaScript actions and name trees, XFA forms
# (scripted), rich media (Flash and its scripts), embedded files and the file specs holding them.
ACTIVE_KEYS = {
    "/JS": SCRIPT,
    "/JavaScript": SCRIPT,
    "/XFA": SCRIPT,
    "/RichMediaContent": SCRIPT,
    "/EmbeddedFiles": EMBEDDED_FILE,
    "/EF": EMBEDDED_FILE,
}
# Values of an action's /S, an annotation's /Subtype or an object's /Type that do the same; the
# /OpenAction and /AA (additional actions) entries are refused through the action they run.
TYPE_KEYS = {"/S", "/Subtype", "/Type"}
ACTIVE_TYPES = {
    "/JavaScript": SCRIPT,
    "/RichMedia": SCRIPT,
    "/Launch": LAUNCH,
    "/EmbeddedFile": EMBEDDED_FILE,
    "/FileAttachment": EMBEDDED_FILE,
}


def check_pdf(file) -> None:
    """Refuse, with a message saying what to do, a file that is not a whole, readable PDF of at
    least one page, or one that holds scripts, launch actions or embedded files."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        reader = PdfReader(BytesIO(data), strict=True)
        page_count = len(reader.pages)
        found = _active_content(reader)
        if HIDDEN_MARKUP.search(data):
            found.add(MARKUP)
    except (FileNotDecryptedError, DependencyError) as error:
        # Encrypted with a password, or with a cipher we cannot read: its content cannot be checked.
        raise ValidationError(
            _(
                "Ce PDF est protégé par un mot de passe ou chiffré : nous ne pouvons pas le vérifier. "
                "Enregistrez-en une copie sans protection, ou imprimez-le de nouveau en PDF, puis envoyez-la."
            ),
            code="encrypted_pdf",
        ) from error
    except Exception as error:  # pypdf raises many kinds of errors on damaged files
        raise ValidationError(
            _(
                "Ce PDF est illisible, incomplet ou endommagé. Ouvrez-le, enregistrez-le ou imprimez-le "
                "de nouveau en PDF, puis envoyez cette copie."
            ),
            code="bad_pdf",
        ) from error
    if page_count == 0:
        raise ValidationError(
            _("Ce PDF ne contient aucune page : choisissez le bon fichier."), code="bad_pdf"
        )
    if found:
        labels = {
            SCRIPT: _("du code JavaScript ou un autre contenu actif"),
            LAUNCH: _("une commande qui lance un programme"),
            EMBEDDED_FILE: _("des fichiers joints"),
            MARKUP: _("du code HTML ou un script caché hors de ses pages"),
        }
        contents = get_text_list(
            [labels[kind] for kind in (SCRIPT, LAUNCH, EMBEDDED_FILE, MARKUP) if kind in found], _("et")
        )
        raise ValidationError(
            _(
                "Ce PDF contient %(contents)s, que nous refusons par sécurité. Imprimez-le de nouveau "
                "en PDF (menu Imprimer, puis « Enregistrer au format PDF ») et envoyez cette copie."
            )
            % {"contents": contents},
            code="active_pdf",
        )


def _active_content(reader: PdfReader) -> set[str]:
    """The kinds of active content anywhere in the file: every object its cross-reference names
    is read, reachable from the document or not, and each is searched to its last nested value."""
    found: set[str] = set()
    for pdf_object in _every_object(reader):
        stack: list[PdfObject | None] = [pdf_object]
        while stack:
            item = stack.pop()
            if isinstance(item, DictionaryObject):
                for key, value in dict.items(item):
                    if key in ACTIVE_KEYS:
                        found.add(ACTIVE_KEYS[key])
                    if key in TYPE_KEYS:
                        # A type given by reference counts too: a viewer would follow it.
                        kind = value.get_object() if isinstance(value, IndirectObject) else value
                        if isinstance(kind, NameObject) and kind in ACTIVE_TYPES:
                            found.add(ACTIVE_TYPES[kind])
                    stack.append(value)
            elif isinstance(item, ArrayObject):
                stack.extend(list.__iter__(item))
    return found


def _every_object(reader: PdfReader) -> Iterator[PdfObject | None]:
    # Indirect references inside objects are not followed: each object is visited once, here.
    yield reader.trailer
    for generation, entries in reader.xref.items():
        for number in list(entries):
            yield reader.get_object(IndirectObject(number, generation, reader))
    for number in list(reader.xref_objStm):
        yield reader.get_object(number)
