"""Real documents for upload tests: PDFs built with pypdf (or written object by object when a
test needs a form pypdf would not write), images built with Pillow."""

import io

from PIL import Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

GPS_IFD = 0x8825
ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6  # EXIF: the stored picture must be turned 90° clockwise to be upright


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _one_page_writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def blank_pdf() -> bytes:
    """A plain, valid one-page PDF, as any office suite would export."""
    return _written(_one_page_writer())


def _action(kind: str, **entries: str) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def pdf_with_open_action_script() -> bytes:
    """A PDF whose catalogue runs JavaScript as soon as it is opened."""
    writer = _one_page_writer()
    writer.root_object[NameObject("/OpenAction")] = _action("/JavaScript", JS="app.alert('ouvert');")
    return _written(writer)


def pdf_with_document_level_script() -> bytes:
    """A PDF with a script in its /Names /JavaScript tree, run when it is opened."""
    writer = _one_page_writer()
    writer.add_open_action(JavaScript("app.alert('ouvert');"))
    return _written(writer)


def pdf_with_page_script() -> bytes:
    """A PDF whose page runs JavaScript when shown, through its additional actions (/AA)."""
    writer = _one_page_writer()
    writer.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.launchURL('https://example.org');"))
    return _written(writer)


def pdf_with_launch_action() -> bytes:
    """A PDF that asks the viewer to start a program when opened."""
    writer = _one_page_writer()
    writer.root_object[NameObject("/OpenAction")] = _action("/Launch", F="C:\\Windows\\System32\\calc.exe")
    return _written(writer)


def pdf_with_embedded_file() -> bytes:
    """A PDF carrying another file in its /EmbeddedFiles tree."""
    writer = _one_page_writer()
    writer.add_attachment("facture.exe", b"MZ\x90\x00 not a real program")
    return _written(writer)


def pdf_with_file_attachment_annotation() -> bytes:
    """A PDF whose page has a file attachment annotation (a pin that opens a file)."""
    writer = _one_page_writer()
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject(
                [FloatObject(10), FloatObject(10), FloatObject(30), FloatObject(30)]
            ),
            NameObject("/FS"): TextStringObject("script.js"),
        }
    )
    writer.add_annotation(page_number=0, annotation=annotation)
    return _written(writer)


def raw_pdf(*objects: bytes, header: bytes = b"%PDF-1.7\n") -> bytes:
    """A PDF written object by object (object n is `objects[n - 1]`, object 1 the catalogue), with
    a correct cross-reference table: for forms that pypdf's writer would normalise away."""
    body = bytearray(header)
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref_at = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(body)


def raw_one_page_pdf(
    catalog_extra: bytes = b"", *extra_objects: bytes, header: bytes = b"%PDF-1.7\n"
) -> bytes:
    """A one-page `raw_pdf`; `catalog_extra` is added to the catalogue, `extra_objects` are
    objects 4, 5… after the catalogue (1), the page tree (2) and the page (3)."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra_objects,
        header=header,
    )


def jpeg_with_gps_and_trailing_bytes(trailing: bytes, size: tuple[int, int] = (64, 32)) -> bytes:
    """A landscape JPEG (left half red, right half blue) whose EXIF holds a GPS position, a camera
    model and the orientation 'turn 90° clockwise', followed by `trailing` after its end marker."""
    image = Image.new("RGB", size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[0x0110] = "Téléphone de Léa"  # Model
    exif[ORIENTATION] = ROTATE_90_CLOCKWISE
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (49.0, 11.0, 2.0), 3: "W", 4: (0.0, 22.0, 1.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95, comment=b"Caen, chez moi")
    return buffer.getvalue() + trailing


def png_with_text_chunks(size: tuple[int, int] = (20, 20)) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Léa Dupont")
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_itxt("Description", "12 rue des Lilas, Caen", zip=True)
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()
