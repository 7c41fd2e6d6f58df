"""Ledger pages: the list of ledgers, template and export downloads, and the import page."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.http import parse_header_parameters
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.ledgers import services
from ducha.orgs.ledgers.common import Ledger
from ducha.orgs.ledgers.readers import too_large_message
from ducha.web.forms import add_service_error
from ducha.web.forms_ledgers import LedgerImportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The error table shows this many rows; the count covers the rest.
ERRORS_SHOWN = 500
# Room for the multipart envelope around a file of IMPORT_MAX_BYTES.
UPLOAD_OVERHEAD = 64 * 1024


def _ledger(kind: str) -> Ledger:
    try:
        return services.LEDGERS[kind]
    except KeyError:
        raise Http404 from None


@login_required
@require_GET
def ledger_index(request):
    user = request.user
    if not access.has_any_cap(user, Cap.VIEW):
        raise PermissionDenied
    ledgers = [
        {"ledger": ledger, "can_import": access.has_any_cap(user, ledger.import_cap)}
        for ledger in services.LEDGERS.values()
    ]
    return render(request, "web/ledgers/index.html", {"ledgers": ledgers})


@login_required
@require_GET
def ledger_template(request, kind):
    ledger = _ledger(kind)
    if not access.has_any_cap(request.user, ledger.import_cap):
        raise PermissionDenied
    out = services.ledger_template(ledger=ledger)
    return FileResponse(out.file, as_attachment=True, filename=out.filename, content_type=XLSX)


@login_required
@require_GET
def ledger_export(request, kind):
    out = services.ledger_export(actor=request.user, ledger=_ledger(kind))
    return FileResponse(out.file, as_attachment=True, filename=out.filename, content_type=XLSX)


# The CSRF check runs after the upload is parsed (below), as Django's docs show for views
# that handle uploads themselves; csrf_protect on _import_page still refuses a forged post.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request, kind):
    ledger = _ledger(kind)
    if not access.has_any_cap(request.user, ledger.import_cap):
        raise PermissionDenied
    if request.method == "POST" and not _read_upload(request):
        return _render(request, ledger, LedgerImportForm(), problem=too_large_message(), status=413)
    return _import_page(request, ledger)


@csrf_protect
def _import_page(request, ledger: Ledger):
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _render(request, ledger, form)
    if not form.is_valid():
        return _render(request, ledger, form, status=400)
    upload = form.cleaned_data["file"]
    filename = services.clean_filename(upload.name)
    try:
        result = services.ledger_import(
            actor=request.user, ledger=ledger, file=upload, filename=filename
        )
    except ValidationError as error:
        add_service_error(form, error)
        return _render(request, ledger, form, filename=filename, status=400)
    return _render(
        request,
        ledger,
        LedgerImportForm() if result.ok else form,
        filename=filename,
        result=result,
        status=200 if result.ok else 400,
    )


def _render(request, ledger: Ledger, form, *, filename="", result=None, problem="", status=200):
    errors = result.errors if result else []
    return render(
        request,
        "web/ledgers/import.html",
        {
            "ledger": ledger,
            "form": form,
            "filename": filename,
            "result": result,
            "problem": problem,
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        },
        status=status,
    )


def _read_upload(request) -> bool:
    """Prepare the upload for Django's own parser; False when it is too large to read.

    Django silently drops a part whose headers are not UTF-8, so an old client sending its
    file name in GBK would upload "nothing". Such headers are re-read as GB18030 (what
    Chinese Windows uses), keeping the original name. The body is read at most once, and
    only when its declared size is within IMPORT_MAX_BYTES.
    """
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.startswith("multipart/form-data") or request._read_started:
        return True
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.IMPORT_MAX_BYTES + UPLOAD_OVERHEAD:
        return False
    boundary = parse_header_parameters(content_type)[1].get("boundary", "")
    if not boundary:
        return True
    body = utf8_part_headers(request._stream.read(length), boundary.encode("ascii", "replace"))
    request._stream = io.BytesIO(body)
    request.META["CONTENT_LENGTH"] = str(len(body))
    return True


def utf8_part_headers(body: bytes, boundary: bytes) -> bytes:
    """`body` with each multipart part's headers in UTF-8 (the same object if all were)."""
    delimiter = b"--" + boundary
    parts = body.split(delimiter)
    changed = False
    for index, part in enumerate(parts[1:], start=1):
        end = part.find(b"\r\n\r\n")
        if end == -1:
            continue
        head = part[:end]
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            parts[index] = head.decode("gb18030", errors="replace").encode("utf-8") + part[end:]
            changed = True
    return delimiter.join(parts) if changed else body
