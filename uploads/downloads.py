"""Serving a stored file to staff, as a download that no cache keeps and no browser re-types."""

from typing import TYPE_CHECKING, TypeVar

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Response = TypeVar("Response", bound=HttpResponseBase)


def private_download(response: Response) -> Response:
    """Mark a staff-only download: never kept by a shared or browser cache (it holds data only
    staff may see), and never sniffed by the browser into another type than the one declared."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_download(
    file: FieldFile, *, filename: str, content_type: str, missing_message: "StrOrPromise"
) -> FileResponse:
    """The stored `file` as an attachment named `filename`, or a 404 saying `missing_message`
    when the row names a file that the storage no longer has."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404(missing_message) from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    return private_download(response)
