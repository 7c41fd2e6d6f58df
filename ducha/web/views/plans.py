"""The plan import pages (DOMAIN §14): paste or upload a plan, review the draft campaign beside
the document with each value's source marked, then create the campaign.

Between the two steps the document's text waits in the session under a random token (no
model): the review page extracts it again, which takes a fraction of a second even for a long
plan, so nothing of the draft can go stale. The review form keeps what was typed in the
browser (data-draft) until the campaign is created.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.ledgers.readers import size_text
from ducha.orgs.ledgers.services import clean_filename
from ducha.plans import importer
from ducha.web.forms_plans import PlanReviewForm, SourceForm

from .ledgers import _read_upload
from .pages import with_saved_draft

SESSION_KEY = "plans-import"


def _require_importer(user) -> None:
    if not access.has_any_cap(user, Cap.MANAGE_CAMPAIGNS):
        raise PermissionDenied


# The CSRF check runs after the upload is read (GBK file names, size limit), as on the ledger
# import page; csrf_protect on _source_page still refuses a forged post.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request):
    _require_importer(request.user)
    if request.method == "POST" and not _read_upload(request):
        context = {"form": SourceForm(), "problem": _too_large()}
        return render(request, "web/plans/import.html", context, status=413)
    return _source_page(request)


def _too_large() -> str:
    return _("The file is larger than %(size)s; paste its text instead.") % {
        "size": size_text(settings.IMPORT_MAX_BYTES)
    }


@csrf_protect
def _source_page(request):
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = clean_filename(upload.name) if upload else ""
        try:
            if upload and upload.size > settings.IMPORT_MAX_BYTES:
                raise ValidationError(_too_large())
            if upload:
                preview = importer.plan_import_preview(upload, name=name)
            else:
                preview = importer.plan_import_preview(form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("file" if upload else "text", error)
        else:
            token = secrets.token_hex(8)
            request.session[SESSION_KEY] = {"token": token, "text": preview.text, "name": name}
            return redirect("plans-import-review", token)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/plans/import.html", {"form": form}, status=status)


def _plan_index(request, count: int) -> int:
    raw = request.POST.get("plan") or request.GET.get("plan") or "0"
    try:
        index = int(raw)
    except ValueError:
        return 0
    return index if 0 <= index < count else 0


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_review(request, token):
    user = request.user
    _require_importer(user)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("token") != token:
        messages.error(request, _("This import is no longer open; paste or upload the plan again."))
        return redirect("plans-import")
    preview = importer.plan_import_preview(stored["text"])
    index = _plan_index(request, len(preview.parts))
    draft = importer.import_draft(preview, index, actor=user)
    form = PlanReviewForm(request.POST or None, user=user, draft=draft)
    draft_key = f"plan-import-{token}-{index}"
    if request.method == "POST" and form.is_valid():
        unit, data = form.cleaned()
        try:
            campaign = importer.campaign_from_import(
                actor=user, unit=unit, data=data, text=draft.part.original
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            del request.session[SESSION_KEY]
            messages.success(
                request,
                _("The campaign “%(c)s” was created as a draft from the plan.") % {"c": campaign},
            )
            left_out = importer.unlinked_assignments(data)
            if left_out:
                messages.warning(
                    request,
                    _(
                        "%(n)d visiting assignments were left out: their leader is not linked "
                        "to a person."
                    )
                    % {"n": left_out},
                )
            return with_saved_draft(redirect("campaigns-campaign-detail", campaign.pk), draft_key)
    return render(
        request,
        "web/plans/review.html",
        {
            "form": form,
            "draft": draft,
            "segments": draft.segments(preview),
            "plans": [(i, p.plan.get("title") or "") for i, p in enumerate(preview.parts)],
            "index": index,
            "token": token,
            "draft_key": draft_key,
            "source_name": stored.get("name") or "",
        },
        status=400 if request.method == "POST" else 200,
    )
