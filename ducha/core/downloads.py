"""Sending a stored file back under its original name."""

from django.http import FileResponse, Http404


def stored_file_response(field_file, *, filename: str, content_type: str | None = None):
    """A download of an uploaded file (RFC 5987 name); a file gone from storage is a 404."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kwargs = {"content_type": content_type} if content_type else {}
    response = FileResponse(handle, as_attachment=True, filename=filename, **kwargs)
    # Browsers must not second-guess the type of an uploaded file.
    response["X-Content-Type-Options"] = "nosniff"
    return response
