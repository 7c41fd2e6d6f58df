"""Pages of visits: the list, the phone-first visit form, a visit with its photos, the study
log, the visit report and the visit ledger (visits_setup.py has the campaign's contact
assignments, checklists, quotas and the quota dashboard).

Most pages work on one campaign, named by ?campaign=<id>; without it, the newest running
campaign the user can see. Households reach a page only through access.PlaceMasker.
"""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.visits import ledgers, report, selectors, services
from ducha.visits.models import (
    StudyRecord,
    VisitPhoto,
    VisitReport,
)
from ducha.web.forms import add_service_error
from ducha.web.forms_ledgers import LedgerImportForm
from ducha.web.forms_visits import (
    StudyRecordForm,
    VisitFilterForm,
    VisitForm,
    VisitReportForm,
)

from .pages import page_of, saved_draft, with_saved_draft

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Room for the multipart envelope around the largest upload of a visit form.
UPLOAD_OVERHEAD = 256 * 1024
ERRORS_SHOWN = 500


def campaign_of_request(request, *, param: str = "campaign") -> Campaign:
    """The campaign the page works on: the one asked for, else the newest running one."""
    user = request.user
    # Read from the address only: a form posts back to it, and the body of an upload must
    # not be parsed before its size is checked.
    value = request.GET.get(param)
    if value:
        return access.get_campaign_for_user(user, value)
    campaign = (
        access.campaigns_for_user(user)
        .filter(status=Campaign.Status.ACTIVE)
        .select_related("unit")
        .order_by("-starts_on", "-id")
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


def with_campaign(name: str, campaign: Campaign, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"campaign": campaign.pk, **params}.items())
    return f"{reverse(name)}?{query}"


def page_context(request, campaign: Campaign | None, **extra) -> dict:
    user = request.user
    return {
        "campaign": campaign,
        "may_manage": bool(campaign) and access.may_manage_campaign(user, campaign),
        "may_log": access.has_any_cap(user, Cap.LOG_VISITS),
        **extra,
    }


# --- the visit list and a visit ------------------------------------------------------------


@login_required
@require_GET
def visit_list(request):
    user = request.user
    form = VisitFilterForm(request.GET, user=user)
    form.is_valid()  # a filter that fails validation is left out; the others still apply
    filters = form.cleaned_data
    campaign = filters.get("campaign")
    visits = selectors.visits_list(
        user,
        campaign=campaign,
        unit=filters.get("unit"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        place_kind=filters.get("place_kind", ""),
    )
    page = page_of(request, visits)
    masker = access.PlaceMasker(user)
    rows = [(visit, [masker.values(p)["name"] for p in visit.places.all()]) for visit in page]
    export_query = request.GET.urlencode()
    return render(
        request,
        "web/visits/visit_list.html",
        page_context(
            request,
            campaign,
            form=form,
            page=page,
            rows=rows,
            export_query=export_query,
            saved_draft=saved_draft(request),
        ),
    )


def _upload_limit() -> int:
    return settings.PHOTO_MAX_BYTES * services.MAX_PHOTOS + UPLOAD_OVERHEAD


# The CSRF check runs after the length check (below), as on the submission page: the
# middleware would otherwise read a whole oversized upload before the view could refuse it.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request):
    user = request.user
    campaign = campaign_of_request(request)
    units = selectors.visit_units_for_user(user, campaign)
    if not units:
        raise PermissionDenied
    unit = _chosen_unit(request, units)
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > _upload_limit():
            form = VisitForm(user=user, campaign=campaign, unit=unit)
            problem = _("The photos are too large together: at most %(n)s of %(size)s each.") % {
                "n": services.MAX_PHOTOS,
                "size": f"{settings.PHOTO_MAX_BYTES // (1024 * 1024)} MB",
            }
            return _visit_form_page(request, campaign, unit, units, form, problem, status=413)
    return _visit_form(request, campaign, unit, units)


def _chosen_unit(request, units):
    """The unit asked for, else the deepest of the user's units holding their own post."""
    wanted = request.GET.get("unit")
    for unit in units:
        if str(unit.pk) == wanted:
            return unit
    person = getattr(request.user, "person", None) if hasattr(request.user, "person") else None
    mine = [u for u in units if person and person.unit.path.startswith(u.path)]
    return mine[-1] if mine else units[0]


@csrf_protect
def _visit_form(request, campaign, unit, units):
    user = request.user
    bound = request.method == "POST"
    form = VisitForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        user=user,
        campaign=campaign,
        unit=unit,
    )
    if bound and form.is_valid():
        try:
            visit = services.visit_log(
                actor=user, campaign=campaign, unit=unit, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The visit was recorded."))
            return with_saved_draft(
                redirect("visits-visit-detail", visit.pk), _draft(campaign, unit)
            )
    return _visit_form_page(request, campaign, unit, units, form, status=400 if bound else 200)


def _draft(campaign, unit) -> str:
    return f"visit-{campaign.pk}-{unit.pk}"


def _visit_form_page(request, campaign, unit, units, form, problem="", status=200):
    return render(
        request,
        "web/visits/visit_form.html",
        page_context(
            request,
            campaign,
            form=form,
            unit=unit,
            units=units,
            problem=problem,
            draft=_draft(campaign, unit),
        ),
        status=status,
    )


@login_required
@require_GET
def visit_detail(request, visit_id):
    user = request.user
    visit = access.get_visit_for_user(user, visit_id)
    masker = access.PlaceMasker(user)
    places = [
        (place, masker.values(place))
        for place in visit.places.select_related("unit", "parent").order_by("kind", "code")
    ]
    items = []
    if visit.checklist:
        for item in visit.checklist.items:
            items.append((item, visit.checklist_answers.get(item["key"])))
    return render(
        request,
        "web/visits/visit_detail.html",
        page_context(
            request,
            visit.campaign,
            visit=visit,
            visitors=visit.visitors.select_related("unit").order_by("name"),
            places=places,
            masked=any(p.is_household and not masker.visible(p) for p, _v in places),
            items=items,
            problems=[line for line in visit.problems_found.splitlines() if line.strip()],
            rules=[r for r in visit.campaign.discipline_rules.splitlines() if r.strip()],
            photos=visit.photos.order_by("id"),
            # Problems reported from this visit onto the problem list (ducha/problems).
            linked_problems=access.problems_for_user(user).filter(visit=visit).order_by("id"),
            may_report=access.may_report_problem(user, visit.unit),
            may_delete=access.may_log_visits(user, visit.unit)
            and services.may_change_visit(user, visit),
            saved_draft=saved_draft(request),
        ),
    )


@login_required
@require_POST
def visit_delete(request, visit_id):
    visit = access.get_visit_for_user(request.user, visit_id, write=True)
    campaign = visit.campaign
    try:
        services.visit_delete(actor=request.user, visit=visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("visits-visit-detail", visit.pk)
    messages.success(request, _("The visit was deleted."))
    return redirect(with_campaign("visits-visit-list", campaign))


@login_required
@require_GET
def photo(request, photo_id, variant):
    record = VisitPhoto.objects.select_related("visit").filter(pk=photo_id).first()
    if record is None or variant not in ("display", "original"):
        raise Http404
    # The photo is seen by whoever may see its visit; the same 404 otherwise.
    access.get_visit_for_user(request.user, record.visit_id)
    file = record.display if variant == "display" else record.original
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if variant == "display":
        response = FileResponse(handle, content_type="image/jpeg")
    else:
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        response = FileResponse(
            handle, as_attachment=True, filename=record.original_name, content_type=content_type
        )
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- the study log -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def study_list(request):
    user = request.user
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    form = StudyRecordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.study_record_add(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The study was logged."))
            return with_saved_draft(redirect("visits-study-list"), "study-add")
    records = (
        StudyRecord.objects.filter(person=person)
        .select_related("campaign")
        .order_by("-date", "-id")
        if person
        else StudyRecord.objects.none()
    )
    totals = dict.fromkeys(StudyRecord.Kind.values, 0)
    year = selectors.today().year
    for row in records.filter(date__year=year).values("kind").annotate(hours=Sum("hours")):
        totals[row["kind"]] = row["hours"]
    return render(
        request,
        "web/visits/study_list.html",
        page_context(
            request,
            None,
            form=form,
            page=page_of(request, records),
            totals=[(StudyRecord.Kind(kind).label, hours) for kind, hours in totals.items()],
            year=year,
            saved_draft=saved_draft(request),
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def study_delete(request, record_id):
    user = request.user
    record = (
        StudyRecord.objects.select_related("person__unit")
        .filter(pk=record_id, person__in=access.people_for_user(user))
        .first()
    )
    if record is None:
        raise Http404
    services.study_record_delete(actor=user, record=record)
    messages.success(request, _("The study record was removed."))
    return redirect("visits-study-list")


# --- the visit report ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request):
    user = request.user
    campaign = campaign_of_request(request)
    units = [
        u for u in selectors.visit_units_for_user(user, campaign) if access.may_submit(user, u)
    ]
    if not units:
        raise PermissionDenied
    unit = _chosen_unit(request, units)
    existing = (
        VisitReport.objects.filter(campaign=campaign, unit=unit)
        .select_related("submission")
        .first()
    )
    form = VisitReportForm(
        request.POST or None, initial={"text": existing.text if existing else ""}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            if action in ("draft", "redraft"):
                existing = report.visit_report_draft(
                    actor=user, campaign=campaign, unit=unit, redraft=action == "redraft"
                )
                messages.success(request, _("The report was drafted from the visits."))
            elif existing is None:
                raise ValidationError(_("Draft the report first."))
            else:
                existing = report.visit_report_update(
                    actor=user, report=existing, text=form.cleaned_data["text"]
                )
                if action == "submit":
                    report.visit_report_submit(
                        actor=user, report=existing, client_token=form.cleaned_data["client_token"]
                    )
                    messages.success(request, _("The visit report was submitted."))
                else:
                    messages.success(request, _("The report was saved."))
        except ValidationError as error:
            add_service_error(form, error)
            status = 400
        else:
            return with_saved_draft(
                redirect(with_campaign("visits-report-edit", campaign, unit=unit.pk)),
                f"visit-report-{campaign.pk}-{unit.pk}",
            )
    elif request.method == "POST":
        status = 400
    requirement = report.visit_report_requirement(existing) if existing else None
    return render(
        request,
        "web/visits/report_form.html",
        page_context(
            request,
            campaign,
            form=form,
            unit=unit,
            units=units,
            report=existing,
            requirement=requirement,
            facts=None if existing else report.report_facts(campaign, unit),
            draft=f"visit-report-{campaign.pk}-{unit.pk}",
            saved_draft=saved_draft(request),
        ),
        status=status,
    )


# --- the visit ledger ----------------------------------------------------------------------


@login_required
@require_GET
def ledger_export(request):
    user = request.user
    campaign = campaign_of_request(request)
    form = VisitFilterForm(request.GET, user=user)
    form.is_valid()
    filters = form.cleaned_data
    out = ledgers.visit_ledger_export(
        actor=user,
        campaign=campaign,
        unit=filters.get("unit"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return FileResponse(out.file, as_attachment=True, filename=out.filename, content_type=XLSX)


@login_required
@require_GET
def ledger_template(request):
    campaign = campaign_of_request(request)
    if not access.has_any_cap(request.user, Cap.LOG_VISITS):
        raise PermissionDenied
    out = ledgers.visit_ledger_template(campaign=campaign)
    return FileResponse(out.file, as_attachment=True, filename=out.filename, content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request):
    user = request.user
    campaign = campaign_of_request(request)
    if not access.has_any_cap(user, Cap.LOG_VISITS):
        raise PermissionDenied
    return import_page(
        request,
        campaign,
        columns=ledgers.COLUMNS,
        run=lambda upload, name: ledgers.visit_ledger_import(
            actor=user, campaign=campaign, file=upload, filename=name
        ),
        title=_("Import the visit ledger"),
        back=with_campaign("visits-visit-list", campaign),
        template_url=with_campaign("visits-ledger-template", campaign),
    )


def import_page(request, campaign, *, columns, run, title, back, template_url):
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    result, filename, status = None, "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename = upload.name
            try:
                result = run(upload, filename)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                status = 200 if result.ok else 400
                if result.ok:
                    form = LedgerImportForm()
    errors = result.errors if result else []
    return render(
        request,
        "web/visits/import.html",
        page_context(
            request,
            campaign,
            form=form,
            title=title,
            back=back,
            columns=columns,
            template_url=template_url,
            result=result,
            filename=filename,
            errors=errors[:ERRORS_SHOWN],
            errors_hidden=max(0, len(errors) - ERRORS_SHOWN),
        ),
        status=status,
    )
