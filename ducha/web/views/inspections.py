"""Pages of inspection rounds: list per campaign, create, detail with the findings form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ducha.inspections import documents, selectors, services
from ducha.orgs import access
from ducha.web.forms import add_service_error
from ducha.web.forms_inspections import BulletinDraftForm, BulletinForm, FindingForm, RoundForm

from .pages import page_of


@login_required
def round_list(request, campaign_id=None):
    """All rounds in the user's scope, or those of one campaign."""
    user = request.user
    campaign = None
    if campaign_id is not None:
        campaign = access.get_campaign_for_user(user, campaign_id)
    rounds = selectors.inspection_round_list(user, campaign=campaign)
    return render(
        request,
        "web/inspections/round_list.html",
        {
            "campaign": campaign,
            "page": page_of(request, rounds),
            "can_manage": campaign is not None and access.may_manage_campaign(user, campaign),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    form = RoundForm(request.POST or None, user=user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            inspection_round = services.inspection_round_create(
                actor=user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The inspection round was created."))
            return redirect("inspections-round-detail", inspection_round.pk)
    return render(request, "web/inspections/round_form.html", {"form": form, "campaign": campaign})


def _detail(request, inspection_round, form, status=200):
    return render(
        request,
        "web/inspections/round_detail.html",
        {
            "round": inspection_round,
            "campaign": inspection_round.campaign,
            "units": inspection_round.units.order_by("path"),
            "findings": selectors.findings_of(inspection_round),
            "form": form,
        },
        status=status,
    )


@login_required
def round_detail(request, round_id):
    user = request.user
    inspection_round = access.get_inspection_round_for_user(user, round_id)
    form = None
    if access.may_manage_campaign(user, inspection_round.campaign):
        form = FindingForm(user=user, inspection_round=inspection_round)
    return _detail(request, inspection_round, form)


@login_required
@require_POST
def finding_create(request, round_id):
    user = request.user
    inspection_round = access.get_inspection_round_for_user(user, round_id, write=True)
    form = FindingForm(request.POST, request.FILES, user=user, inspection_round=inspection_round)
    if form.is_valid():
        try:
            services.finding_record(
                actor=user, inspection_round=inspection_round, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The finding was recorded and listed as a problem."))
            return redirect("inspections-round-detail", inspection_round.pk)
    return _detail(request, inspection_round, form)


# --- bulletins ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_list(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    can_manage = access.may_manage_campaign(user, campaign)
    form = BulletinDraftForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                bulletin = services.bulletin_draft(
                    actor=user, campaign=campaign, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("A draft was written from the month's data."))
                return redirect("inspections-bulletin-detail", bulletin.pk)
    bulletins = access.bulletins_for_user(user).filter(campaign=campaign).order_by("-period", "-id")
    return render(
        request,
        "web/inspections/bulletin_list.html",
        {"campaign": campaign, "page": page_of(request, bulletins), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_detail(request, bulletin_id):
    user = request.user
    bulletin = access.get_bulletin_for_user(user, bulletin_id)
    editable = not bulletin.is_issued and access.may_manage_campaign(user, bulletin.campaign)
    form = None
    if request.method == "POST":
        # Editing an issued bulletin is refused by the service, which the form reports.
        bulletin = access.get_bulletin_for_user(user, bulletin_id, write=True)
        form = BulletinForm(request.POST, bulletin=bulletin)
        if form.is_valid():
            try:
                services.bulletin_update(actor=user, bulletin=bulletin, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("inspections-bulletin-detail", bulletin.pk)
    elif editable:
        form = BulletinForm(bulletin=bulletin)
    return render(
        request,
        "web/inspections/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "form": form,
            "editable": editable,
            "criticised": bulletin.criticised.order_by("path"),
            "problems": bulletin.problems.select_related("unit"),
        },
    )


@login_required
@require_POST
def bulletin_issue(request, bulletin_id):
    user = request.user
    bulletin = access.get_bulletin_for_user(user, bulletin_id, write=True)
    try:
        bulletin = services.bulletin_issue(actor=user, bulletin=bulletin)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The bulletin was issued as %(n)s.") % {"n": bulletin.doc_number}
        )
    return redirect("inspections-bulletin-detail", bulletin.pk)


@login_required
def bulletin_docx(request, bulletin_id):
    bulletin = access.get_bulletin_for_user(request.user, bulletin_id)
    if not bulletin.is_issued:
        raise Http404
    response = HttpResponse(
        documents.bulletin_docx(bulletin),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{bulletin.doc_number or bulletin.pk}.docx"
    )
    return response
