"""Pages that set a campaign up for visiting and follow it: contact assignments (with the
person's and place's fragments), checklists and photo settings, quotas and the quota
dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ducha.orgs import access
from ducha.visits import contacts, quotas, selectors, services
from ducha.visits.models import (
    ChecklistTemplate,
    ContactAssignment,
    Quota,
    VisitSettings,
)
from ducha.web.forms import add_service_error
from ducha.web.forms_visits import (
    ChecklistForm,
    ContactAssignmentForm,
    DashboardForm,
    QuotaForm,
    VisitSettingsForm,
)

from .visits import campaign_of_request, import_page, page_context, with_campaign

PEOPLE_PER_PAGE = 100

# --- contact assignments -------------------------------------------------------------------


@login_required
@require_GET
def contact_list(request):
    user = request.user
    campaign = campaign_of_request(request)
    rows = list(selectors.contact_assignments(campaign, user))
    masker = access.PlaceMasker(user)
    Kind = ContactAssignment.Kind
    leaders: dict[int, dict] = {}
    for row in rows:
        if row.kind in (Kind.LEADER_UNIT, Kind.LEADER_LIAISON):
            entry = leaders.setdefault(
                (row.kind, row.person_id),
                {"kind": row.kind, "person": row.person, "post": row.post, "rows": []},
            )
            entry["rows"].append(row)
    groups = [
        (
            _("Bureau leaders and the units they visit"),
            [g for g in leaders.values() if g["kind"] == Kind.LEADER_UNIT],
        ),
        (
            _("Bureau leaders' liaison units"),
            [g for g in leaders.values() if g["kind"] == Kind.LEADER_LIAISON],
        ),
    ]
    pairs = [(r, masker.values(r.target_place)["name"]) for r in rows if r.kind == Kind.UNIT_PLACE]
    grid = [r for r in rows if r.kind == Kind.DOCTOR_GRID]
    return render(
        request,
        "web/visits/contact_list.html",
        page_context(
            request,
            campaign,
            groups=groups,
            pairs=pairs,
            grid=grid,
            never=selectors.places_never_visited(user, campaign),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request):
    user = request.user
    campaign = campaign_of_request(request)
    if not access.may_manage_campaign(user, campaign):
        raise PermissionDenied
    form = ContactAssignmentForm(request.POST or None, user=user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_assignment_add(actor=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The contact assignment was added."))
            return redirect(with_campaign("visits-contact-list", campaign))
    return render(
        request,
        "web/visits/contact_form.html",
        page_context(request, campaign, form=form),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def contact_delete(request, assignment_id):
    user = request.user
    assignment = (
        ContactAssignment.objects.select_related("campaign__unit")
        .filter(pk=assignment_id, campaign__in=access.campaigns_for_user(user))
        .first()
    )
    if assignment is None:
        raise Http404
    campaign = assignment.campaign
    try:
        services.contact_assignment_delete(actor=user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The contact assignment was removed."))
    return redirect(with_campaign("visits-contact-list", campaign))


@login_required
@require_http_methods(["GET", "POST"])
def contact_import(request):
    user = request.user
    campaign = campaign_of_request(request)
    if not access.may_manage_campaign(user, campaign):
        raise PermissionDenied
    return import_page(
        request,
        campaign,
        columns=contacts.COLUMNS,
        run=lambda upload, name: contacts.contacts_import(
            actor=user, campaign=campaign, file=upload, filename=name
        ),
        title=_("Import contact assignments"),
        back=with_campaign("visits-contact-list", campaign),
        template_url="",
    )


@login_required
@require_GET
def person_contacts(request, person_id):
    """Fragment for a person's page: their contact assignments and latest visits."""
    user = request.user
    person = access.get_person_for_user(user, person_id)
    recent = (
        access.visits_for_user(user)
        .filter(visitors=person)
        .select_related("campaign", "unit")
        .order_by("-date", "-id")[:10]
    )
    return render(
        request,
        "web/visits/_person_contacts.html",
        {
            "person": person,
            "assignments": selectors.assignments_of_person(user, person),
            "visits": recent,
        },
    )


@login_required
@require_GET
def place_contacts(request, place_id):
    """Fragment for a place's page: who is paired with it and who visited it."""
    user = request.user
    place = access.get_place_for_user(user, place_id)
    return render(
        request,
        "web/visits/_place_contacts.html",
        {
            "place": place,
            "assignments": selectors.assignments_of_place(user, place),
            "visits": selectors.visits_to_place(user, place),
        },
    )


# --- checklists and settings ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checklist_list(request):
    user = request.user
    campaign = campaign_of_request(request)
    manage = access.may_manage_campaign(user, campaign)
    form = ChecklistForm(request.POST or None) if manage else None
    current = VisitSettings.objects.filter(campaign=campaign).first()
    settings_form = (
        VisitSettingsForm(
            initial={"keep_photo_location": bool(current and current.keep_photo_location)}
        )
        if manage
        else None
    )
    status = 200
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if request.POST.get("action") == "settings":
            settings_form = VisitSettingsForm(request.POST)
            if settings_form.is_valid():
                services.visit_settings_update(
                    actor=user, campaign=campaign, **settings_form.cleaned_data
                )
                messages.success(request, _("The photo settings were saved."))
                return redirect(with_campaign("visits-checklist-list", campaign))
        elif form.is_valid():
            try:
                services.checklist_create(actor=user, campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The checklist was added."))
                return redirect(with_campaign("visits-checklist-list", campaign))
        status = 400
    return render(
        request,
        "web/visits/checklist_list.html",
        page_context(
            request,
            campaign,
            templates=selectors.checklists_for(campaign),
            form=form,
            settings_form=settings_form,
        ),
        status=status,
    )


@login_required
@require_POST
def checklist_delete(request, template_id):
    user = request.user
    template = (
        ChecklistTemplate.objects.select_related("campaign__unit")
        .filter(pk=template_id, campaign__in=access.campaigns_for_user(user))
        .first()
    )
    if template is None:
        raise Http404
    try:
        services.checklist_delete(actor=user, template=template)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The checklist was removed."))
    return redirect(with_campaign("visits-checklist-list", template.campaign))


# --- quotas and the dashboard --------------------------------------------------------------


def _quota_for(request, quota_id) -> Quota:
    quota = (
        Quota.objects.select_related("campaign__unit")
        .filter(pk=quota_id, campaign__in=access.campaigns_for_user(request.user))
        .first()
    )
    if quota is None:
        raise Http404
    return quota


@login_required
@require_http_methods(["GET", "POST"])
def quota_list(request):
    user = request.user
    campaign = campaign_of_request(request)
    manage = access.may_manage_campaign(user, campaign)
    form = QuotaForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.quota_create(actor=user, campaign=campaign, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The quota was added."))
                return redirect(with_campaign("visits-quota-list", campaign))
    return render(
        request,
        "web/visits/quota_list.html",
        page_context(
            request, campaign, quotas=campaign.quotas.order_by("activity", "id"), form=form
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def quota_update(request, quota_id):
    user = request.user
    quota = _quota_for(request, quota_id)
    campaign = quota.campaign
    if not access.may_manage_campaign(user, campaign):
        raise PermissionDenied
    form = QuotaForm(request.POST or None, instance=quota)
    if request.method == "POST" and form.is_valid():
        try:
            services.quota_update(actor=user, quota=quota, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The quota was saved."))
            return redirect(with_campaign("visits-quota-list", campaign))
    return render(
        request,
        "web/visits/quota_form.html",
        page_context(request, campaign, form=form, quota=quota),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def quota_delete(request, quota_id):
    quota = _quota_for(request, quota_id)
    campaign = quota.campaign
    try:
        services.quota_delete(actor=request.user, quota=quota)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The quota was removed."))
    return redirect(with_campaign("visits-quota-list", campaign))


@login_required
@require_GET
def quota_dashboard(request):
    """Attainment of one quota in one period: units rolled up the tree, then people, those
    behind first. A fixed number of queries whatever the number of people."""
    user = request.user
    campaign = campaign_of_request(request)
    quota_list_ = list(campaign.quotas.order_by("activity", "id"))
    quota = next((q for q in quota_list_ if str(q.pk) == request.GET.get("quota")), None)
    quota = quota or (quota_list_[0] if quota_list_ else None)
    windows = quotas.quota_windows(quota) if quota else []
    form = DashboardForm(request.GET or None, user=user, campaign=campaign, windows=windows)
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    under = filters.get("unit")
    result = None
    people = None
    summaries = []
    if quota is not None:
        quota.campaign = campaign
        summaries = quotas.quota_summaries(campaign, user=user, under=under)
        result = quotas.quota_attainment(
            quota, user=user, window_key=filters.get("window"), under=under
        )
        shown = result.behind if filters.get("behind") else result.rows
        people = Paginator(shown, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/visits/quota_dashboard.html",
        page_context(
            request,
            campaign,
            form=form,
            quota=quota,
            result=result,
            people=people,
            summaries=summaries,
            base_depth=(under or campaign.unit).depth,
            never=selectors.places_never_visited(user, campaign, under=under),
        ),
    )
