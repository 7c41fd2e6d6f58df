"""Pages of campaigns: list, detail with timeline and adoption tree, create and edit, status,
adoption, and the editing pages of phases, key tasks, leadership group and attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ducha.campaigns import selectors, services
from ducha.core.downloads import stored_file_response
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.web.forms import add_service_error
from ducha.web.forms_campaigns import (
    AdoptForm,
    AttachmentForm,
    CampaignForm,
    CampaignSearchForm,
    KeyTaskForm,
    LeadershipFormSet,
    PhaseForm,
    StatusForm,
)

from .pages import page_of, saved_draft, with_saved_draft


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def campaign_list(request):
    user = request.user
    form = CampaignSearchForm(request.GET)
    form.is_valid()  # a filter that fails validation is left out; the others still apply
    filters = form.cleaned_data
    campaigns = selectors.campaign_list(
        user, status=filters.get("status", ""), q=(filters.get("q") or "").strip()
    )
    return render(
        request,
        "web/campaigns/campaign_list.html",
        {
            "form": form,
            "page": page_of(request, campaigns),
            "can_create": access.has_any_cap(user, Cap.MANAGE_CAMPAIGNS),
        },
    )


@login_required
def campaign_detail(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    today = selectors.today()
    phases = selectors.phases_of(campaign)
    tree = selectors.descendants(campaign, today)
    can_manage = access.may_manage_campaign(user, campaign)
    # Roll-ups of the whole cascade go to those who see the issuing unit; a participating unit
    # sees only its own branch of the tree.
    sees_issuer = access.has_cap(user, Cap.VIEW, campaign.unit)
    participants = selectors.participants_for_user(user, campaign)
    return render(
        request,
        "web/campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "today": today,
            "timeline": selectors.timeline(campaign, today, phases),
            "status_label": selectors.status_display(campaign, today, phases),
            "key_tasks": campaign.key_tasks.all(),
            "leadership": campaign.leadership.select_related("person__unit"),
            "rules": [r.strip() for r in campaign.discipline_rules.splitlines() if r.strip()],
            "attachments": campaign.attachments.all(),
            "participants": page_of(request, participants, param="participants"),
            "nodes": selectors.descendants_for_user(user, campaign, nodes=tree),
            "summary": selectors.cascade_summary(campaign, tree) if sees_issuer else None,
            "can_manage": can_manage,
            "editable": can_manage and services.is_editable(campaign),
            "next_status": services.TRANSITIONS.get(campaign.status) if can_manage else None,
            "adoptable": selectors.adoptable_units(user, campaign),
            "saved_draft": saved_draft(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    user = request.user
    if not access.has_any_cap(user, Cap.MANAGE_CAMPAIGNS):
        raise PermissionDenied
    draft = "campaign-create"
    form = CampaignForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The campaign “%(c)s” was created.") % {"c": campaign})
            return with_saved_draft(redirect("campaigns-campaign-detail", campaign.pk), draft)
    return render(
        request,
        "web/campaigns/campaign_form.html",
        {"form": form, "campaign": None, "draft": draft},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_update(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    draft = f"campaign-update-{campaign.pk}"
    form = CampaignForm(request.POST or None, user=user, instance=campaign)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        scope_mode, units = fields.pop("scope_mode"), fields.pop("units")
        try:
            # The campaign's fields and its scope are saved together or not at all.
            with transaction.atomic():
                services.campaign_update(actor=user, campaign=campaign, **fields)
                if form.scope_changed():
                    services.campaign_set_participants(
                        actor=user, campaign=campaign, scope_mode=scope_mode, units=units
                    )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The campaign “%(c)s” was saved.") % {"c": campaign})
            return with_saved_draft(redirect("campaigns-campaign-detail", campaign.pk), draft)
    return render(
        request,
        "web/campaigns/campaign_form.html",
        {"form": form, "campaign": campaign, "draft": draft},
    )


@login_required
@require_POST
def campaign_status(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
    else:
        try:
            services.campaign_set_status(
                actor=user, campaign=campaign, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(
                request,
                _("The campaign is now %(status)s.") % {"status": campaign.get_status_display()},
            )
    return redirect("campaigns-campaign-detail", campaign.pk)


@login_required
@require_POST
def campaign_adopt(request, campaign_id):
    user = request.user
    parent = access.get_campaign_for_user(user, campaign_id)
    form = AdoptForm(request.POST, user=user)
    if not form.is_valid():
        raise PermissionDenied
    try:
        child = services.campaign_adopt(actor=user, parent=parent, unit=form.cleaned_data["unit"])
    except ValidationError as error:
        messages.error(request, _refusal(error))
        return redirect("campaigns-campaign-detail", parent.pk)
    messages.success(
        request,
        _("“%(unit)s” adopted the campaign; adjust its plan and activate it.")
        % {"unit": child.unit},
    )
    return redirect("campaigns-campaign-detail", child.pk)


# --- phases --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def phase_create(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    draft = f"phase-create-{campaign.pk}"
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phase = services.phase_add(actor=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The phase “%(p)s” was added.") % {"p": phase})
            if "another" in request.POST:
                return with_saved_draft(redirect("campaigns-phase-create", campaign.pk), draft)
            return with_saved_draft(redirect("campaigns-campaign-detail", campaign.pk), draft)
    return render(
        request,
        "web/campaigns/phase_form.html",
        {"form": form, "campaign": campaign, "phase": None, "draft": draft},
    )


def _phase(request, campaign_id, phase_id):
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    phase = get_object_or_404(campaign.phases.select_related("inherited_from"), pk=phase_id)
    phase.campaign = campaign
    return campaign, phase


@login_required
@require_http_methods(["GET", "POST"])
def phase_update(request, campaign_id, phase_id):
    campaign, phase = _phase(request, campaign_id, phase_id)
    draft = f"phase-update-{phase.pk}"
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if v is not None}
            services.phase_update(actor=request.user, phase=phase, **fields)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The phase “%(p)s” was saved.") % {"p": phase})
            return with_saved_draft(redirect("campaigns-campaign-detail", campaign.pk), draft)
    return render(
        request,
        "web/campaigns/phase_form.html",
        {"form": form, "campaign": campaign, "phase": phase, "draft": draft},
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_delete(request, campaign_id, phase_id):
    campaign, phase = _phase(request, campaign_id, phase_id)
    refusal = None
    if request.method == "POST":
        try:
            services.phase_delete(actor=request.user, phase=phase)
        except ValidationError as error:
            refusal = _refusal(error)
        else:
            messages.success(request, _("The phase “%(p)s” was removed.") % {"p": phase})
            return redirect("campaigns-campaign-detail", campaign.pk)
    return render(
        request,
        "web/campaigns/confirm_delete.html",
        {"campaign": campaign, "thing": phase, "refusal": refusal},
        status=409 if refusal else 200,
    )


# --- key tasks -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def key_task_create(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    draft = f"key-task-create-{campaign.pk}"
    form = KeyTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_task_add(actor=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The key task was added."))
            if "another" in request.POST:
                return with_saved_draft(redirect("campaigns-key-task-create", campaign.pk), draft)
            return with_saved_draft(redirect("campaigns-campaign-detail", campaign.pk), draft)
    return render(
        request,
        "web/campaigns/key_task_form.html",
        {"form": form, "campaign": campaign, "task": None, "draft": draft},
    )


def _key_task(request, campaign_id, task_id):
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    task = get_object_or_404(campaign.key_tasks, pk=task_id)
    task.campaign = campaign
    return campaign, task


@login_required
@require_http_methods(["GET", "POST"])
def key_task_update(request, campaign_id, task_id):
    campaign, task = _key_task(request, campaign_id, task_id)
    draft = f"key-task-update-{task.pk}"
    form = KeyTaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            services.key_task_update(actor=request.user, task=task, **fields)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The key task was saved."))
            return with_saved_draft(redirect("campaigns-campaign-detail", campaign.pk), draft)
    return render(
        request,
        "web/campaigns/key_task_form.html",
        {"form": form, "campaign": campaign, "task": task, "draft": draft},
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_task_delete(request, campaign_id, task_id):
    campaign, task = _key_task(request, campaign_id, task_id)
    refusal = None
    if request.method == "POST":
        try:
            services.key_task_delete(actor=request.user, task=task)
        except ValidationError as error:
            refusal = _refusal(error)
        else:
            messages.success(request, _("The key task was removed."))
            return redirect("campaigns-campaign-detail", campaign.pk)
    return render(
        request,
        "web/campaigns/confirm_delete.html",
        {"campaign": campaign, "thing": task, "refusal": refusal},
        status=409 if refusal else 200,
    )


# --- leadership group ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def leadership_update(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    initial = [
        {"role": m.role, "person": m.person_id, "name": m.name, "post": m.post}
        for m in campaign.leadership.all()
    ]
    formset = LeadershipFormSet(request.POST or None, user=user, initial=initial, prefix="members")
    refusal = None
    if request.method == "POST" and formset.is_valid():
        try:
            services.leadership_set(actor=user, campaign=campaign, members=formset.members())
        except ValidationError as error:
            refusal = _refusal(error)
        else:
            messages.success(request, _("The leadership group was saved."))
            return redirect("campaigns-campaign-detail", campaign.pk)
    return render(
        request,
        "web/campaigns/leadership_form.html",
        {"formset": formset, "campaign": campaign, "refusal": refusal},
    )


# --- attachments ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attachment_create(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    posted = request.method == "POST"
    form = AttachmentForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            attachment = services.attachment_add(
                actor=user, campaign=campaign, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” was attached.") % {"name": attachment})
            return redirect("campaigns-campaign-detail", campaign.pk)
    return render(
        request, "web/campaigns/attachment_form.html", {"form": form, "campaign": campaign}
    )


@login_required
def attachment_download(request, campaign_id, attachment_id):
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    attachment = get_object_or_404(campaign.attachments, pk=attachment_id)
    return stored_file_response(attachment.file, filename=attachment.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, campaign_id, attachment_id):
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    attachment = get_object_or_404(campaign.attachments, pk=attachment_id)
    attachment.campaign = campaign
    refusal = None
    if request.method == "POST":
        try:
            services.attachment_delete(actor=request.user, attachment=attachment)
        except ValidationError as error:
            refusal = _refusal(error)
        else:
            messages.success(request, _("“%(name)s” was removed.") % {"name": attachment})
            return redirect("campaigns-campaign-detail", campaign.pk)
    return render(
        request,
        "web/campaigns/confirm_delete.html",
        {"campaign": campaign, "thing": attachment, "refusal": refusal},
        status=409 if refusal else 200,
    )
