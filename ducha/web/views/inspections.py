"""Pages of inspection rounds: list per campaign, create, detail with the findings form; hazard
sweeps: the inspected unit's self-inspection and the office's spot-checks; bulletins."""

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
from ducha.inspections.models import SelfInspection
from ducha.orgs import access
from ducha.web.forms import add_service_error
from ducha.web.forms_inspections import (
    BulletinDraftForm,
    BulletinForm,
    FindingForm,
    RoundForm,
    SelfInspectionForm,
    SpotCheckForm,
)

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
            # The inspected side: hazard sweeps its units inspect themselves for.
            "to_file": selectors.hazard_sweeps_to_file(user) if campaign is None else [],
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


def _detail(request, inspection_round, form, spot_check_form=None, status=200):
    can_manage = access.may_manage_campaign(request.user, inspection_round.campaign)
    sweep = None
    if inspection_round.is_hazard_sweep:
        sweep = selectors.hazard_sweep_overview(inspection_round)
        if can_manage and spot_check_form is None:
            spot_check_form = SpotCheckForm(
                inspection_round=inspection_round, initial={"date": services.today()}
            )
    return render(
        request,
        "web/inspections/round_detail.html",
        {
            "round": inspection_round,
            "campaign": inspection_round.campaign,
            "units": inspection_round.units.order_by("path"),
            "findings": selectors.findings_of(inspection_round),
            "form": form,
            "sweep": sweep,
            "spot_check_form": spot_check_form if can_manage else None,
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
def spot_check_create(request, round_id):
    """The issuing office records its spot-check of one of a hazard sweep's units."""
    user = request.user
    inspection_round = access.get_inspection_round_for_user(user, round_id, write=True)
    spot_check_form = SpotCheckForm(request.POST, inspection_round=inspection_round)
    if spot_check_form.is_valid():
        try:
            spot_check = services.spot_check_record(
                actor=user, inspection_round=inspection_round, **spot_check_form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(spot_check_form, error)
        else:
            messages.success(
                request,
                _("The spot-check of %(unit)s was recorded; record its findings below.")
                % {"unit": spot_check.unit.name},
            )
            return redirect("inspections-round-detail", inspection_round.pk)
    form = FindingForm(user=user, inspection_round=inspection_round)
    return _detail(request, inspection_round, form, spot_check_form=spot_check_form)


@login_required
@require_http_methods(["GET", "POST"])
def self_inspection(request, round_id, unit_id):
    """A unit's self-inspection in a hazard sweep: the unit files it once, by the deadline;
    the issuing side reads it. Other units' results stay out of the unit's sight."""
    user = request.user
    inspection_round, unit = access.get_hazard_sweep_unit_for_user(
        user, round_id, unit_id, write=request.method == "POST"
    )
    filed = selectors.self_inspection_of(inspection_round, unit)
    may_file = access.may_file_self_inspection(user, inspection_round, unit)
    status = selectors.self_inspection_status(inspection_round, filed is not None, services.today())
    form = None
    if request.method == "POST":
        form = SelfInspectionForm(request.POST, inspection_round=inspection_round)
        if form.is_valid():
            try:
                services.self_inspection_submit(
                    actor=user,
                    inspection_round=inspection_round,
                    unit=unit,
                    results=form.results(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                if selectors.self_inspection_of(inspection_round, unit) is not None:
                    # Filed meanwhile (a double click): show what was filed.
                    messages.error(request, " ".join(error.messages))
                    return redirect("inspections-self-inspection", inspection_round.pk, unit.pk)
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("The self-inspection was filed; each hazard is now a problem.")
                )
                return redirect("inspections-self-inspection", inspection_round.pk, unit.pk)
    elif may_file and status == SelfInspection.Status.PENDING:
        form = SelfInspectionForm(inspection_round=inspection_round)
    return render(
        request,
        "web/inspections/self_inspection.html",
        {
            "round": inspection_round,
            "unit": unit,
            "self_inspection": filed,
            "status": status,
            "status_label": SelfInspection.Status(status).label,
            "spot_check": selectors.spot_check_of(inspection_round, unit),
            "form": form,
            "issuing_side": access.has_cap(user, access.Cap.VIEW, inspection_round.unit),
        },
    )


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
