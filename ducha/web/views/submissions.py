"""Pages of required submissions: the requirements of a campaign, submitting a report,
a submission with its history and review, file downloads and the review queue."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ducha.core.downloads import stored_file_response
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit
from ducha.submissions import files, periods, selectors, services
from ducha.submissions.models import Requirement, Submission
from ducha.web.forms import add_service_error
from ducha.web.forms_submissions import (
    RequirementForm,
    ReturnForm,
    ReviewFilterForm,
    SubmissionForm,
)

from .ledgers import utf8_part_headers
from .pages import page_of, saved_draft, with_saved_draft

# Room for the multipart envelope and the form's other fields around the files.
UPLOAD_OVERHEAD = 64 * 1024


# --- requirements --------------------------------------------------------------------------


@login_required
@require_GET
def requirement_list(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    return render(
        request,
        "web/submissions/requirement_list.html",
        {
            "campaign": campaign,
            "requirements": selectors.requirement_list(campaign),
            "can_manage": access.may_manage_campaign(user, campaign),
            "can_review": access.may_review(user, campaign),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def requirement_create(request, campaign_id):
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    return _requirement_form(request, campaign, None)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_update(request, campaign_id, requirement_id):
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    requirement = selectors.requirement_get(request.user, campaign.pk, requirement_id)
    return _requirement_form(request, campaign, requirement)


def _requirement_form(request, campaign, requirement: Requirement | None):
    participants = OrgUnit.objects.filter(participations__campaign=campaign).order_by("path")
    form = RequirementForm(
        request.POST or None, campaign=campaign, participants=participants, instance=requirement
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        units = fields.pop("units")
        try:
            if requirement is None:
                saved = services.requirement_create(
                    actor=request.user, campaign=campaign, units=units, **fields
                )
            else:
                saved = services.requirement_update(
                    actor=request.user, requirement=requirement, units=units, **fields
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
            return redirect("submissions-requirement-list", campaign.pk)
    return render(
        request,
        "web/submissions/requirement_form.html",
        {
            "form": form,
            "campaign": campaign,
            "requirement": requirement,
            "draft": f"requirement-{campaign.pk}-{requirement.pk if requirement else 'new'}",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def requirement_delete(request, campaign_id, requirement_id):
    campaign = access.get_campaign_for_user(request.user, campaign_id, write=True)
    requirement = selectors.requirement_get(request.user, campaign.pk, requirement_id)
    refusal = None
    if request.method == "POST":
        try:
            services.requirement_delete(actor=request.user, requirement=requirement)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("“%(title)s” was deleted.") % {"title": requirement})
            return redirect("submissions-requirement-list", campaign.pk)
    return render(
        request,
        "web/submissions/requirement_delete.html",
        {"campaign": campaign, "requirement": requirement, "refusal": refusal},
        status=409 if refusal else 200,
    )


# --- submitting ----------------------------------------------------------------------------


# The CSRF check runs after the upload is read (below), as on the ledger import page: the
# middleware would otherwise parse the body before non-UTF-8 file names are repaired.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request, campaign_id, requirement_id):
    user = request.user
    requirement = selectors.requirement_get(user, campaign_id, requirement_id)
    campaign = requirement.campaign
    participants = selectors.participant_units(campaign)
    required = {u.pk for u in selectors.required_units(requirement, participants)}
    unit_ids = [
        u.pk for u in selectors.submitting_units(user, campaign, participants) if u.pk in required
    ]
    if not unit_ids:
        raise PermissionDenied
    if request.method == "POST" and not _read_upload(request):
        form = _new_form(request, requirement, unit_ids, bound=False)
        return _submission_page(
            request, requirement, form=form, problem=_too_large_message(), status=413
        )
    return _submission_form(request, requirement, unit_ids)


@csrf_protect
def _submission_form(request, requirement: Requirement, unit_ids: list[int]):
    form = _new_form(request, requirement, unit_ids, bound=request.method == "POST")
    if request.method != "POST":
        return _submission_page(request, requirement, form=form)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = services.submission_submit(
                actor=request.user,
                requirement=requirement,
                unit=data["unit"],
                files=data["files"],
                note=data["note"],
                client_token=data["client_token"],
                due_date=data["due_date"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your report was submitted."))
            return with_saved_draft(
                redirect("submissions-submission-detail", version.submission_id),
                _draft_key(requirement),
            )
    return _submission_page(request, requirement, form=form, status=400)


def _new_form(request, requirement: Requirement, unit_ids: list[int], *, bound: bool):
    today = periods.today_cst()
    return SubmissionForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        units=OrgUnit.objects.filter(pk__in=unit_ids).order_by("path"),
        due_dates=periods.occurrences_so_far(requirement, today),
        initial={
            "unit": request.GET.get("unit") or (unit_ids[0] if len(unit_ids) == 1 else None),
            "due_date": _date_param(request.GET.get("due"))
            or periods.current_due_date(requirement, today).isoformat(),
        },
    )


def _submission_page(request, requirement, *, form, problem="", status=200):
    return render(
        request,
        "web/submissions/submission_form.html",
        {
            "campaign": requirement.campaign,
            "requirement": requirement,
            "form": form,
            "problem": problem,
            "draft": _draft_key(requirement),
        },
        status=status,
    )


def _draft_key(requirement: Requirement) -> str:
    return f"submission-{requirement.pk}"


def _date_param(value: str | None) -> str | None:
    try:
        return datetime.date.fromisoformat(value or "").isoformat()
    except ValueError:
        return None


def _upload_limit() -> int:
    return settings.SUBMISSION_MAX_BYTES * services.MAX_FILES + UPLOAD_OVERHEAD


def _too_large_message() -> str:
    return _(
        "The upload is too large: at most %(n)s files of %(size)s each. Nothing was submitted."
    ) % {"n": services.MAX_FILES, "size": files.size_text(settings.SUBMISSION_MAX_BYTES)}


def _read_upload(request) -> bool:
    """Repair the upload's part headers for Django's parser; False when it is too large.

    Django drops a file whose part headers are not UTF-8, so an old client sending its file
    name in GBK would submit "nothing"; such headers are re-read as GB18030 (see ledgers).
    """
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.startswith("multipart/form-data") or request._read_started:
        return True
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > _upload_limit():
        return False
    boundary = parse_header_parameters(content_type)[1].get("boundary", "")
    if not boundary:
        return True
    body = utf8_part_headers(request._stream.read(length), boundary.encode("ascii", "replace"))
    request._stream = io.BytesIO(body)
    request.META["CONTENT_LENGTH"] = str(len(body))
    return True


# --- one submission and its review ---------------------------------------------------------


@login_required
@require_GET
def submission_detail(request, submission_id):
    submission = selectors.submission_get(request.user, submission_id)
    return _detail_page(request, submission)


def _detail_page(request, submission: Submission, *, return_form=None, status=200):
    user = request.user
    campaign = submission.requirement.campaign
    awaiting = submission.status == Submission.Status.SUBMITTED
    can_review = access.may_review(user, campaign)
    can_resubmit = (
        submission.status == Submission.Status.RETURNED
        and campaign.is_open_for_submissions
        and access.may_submit(user, submission.unit)
    )
    return render(
        request,
        "web/submissions/submission_detail.html",
        {
            "submission": submission,
            "campaign": campaign,
            "requirement": submission.requirement,
            "versions": list(submission.versions.all())[::-1],
            "events": submission.events.all(),
            "can_review": can_review and awaiting,
            "can_return": can_review and awaiting and campaign.is_open_for_submissions,
            "can_resubmit": can_resubmit,
            "return_form": return_form or ReturnForm(),
            "saved_draft": saved_draft(request),
        },
        status=status,
    )


@login_required
@require_POST
def submission_accept(request, submission_id):
    submission = selectors.submission_get(request.user, submission_id)
    try:
        services.submission_accept(actor=request.user, submission=submission)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The submission was accepted."))
    return redirect("submissions-submission-detail", submission.pk)


@login_required
@require_POST
def submission_return(request, submission_id):
    user = request.user
    submission = selectors.submission_get(user, submission_id)
    if not access.may_review(user, submission.requirement.campaign):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.submission_return(actor=user, submission=submission, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The submission was returned to the unit."))
            return redirect("submissions-submission-detail", submission.pk)
    return _detail_page(request, submission, return_form=form, status=400)


@login_required
@require_GET
def file_download(request, file_id):
    record = selectors.submission_file_get(request.user, file_id)
    return stored_file_response(
        record.file, filename=record.original_name, content_type=record.content_type
    )


# --- the review queue ----------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    form = ReviewFilterForm(request.GET)
    submissions = selectors.review_queue(user, campaign, status=form.status_filter())
    return render(
        request,
        "web/submissions/review_queue.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page_of(request, submissions),
            "can_manage": access.has_cap(user, Cap.MANAGE_CAMPAIGNS, campaign.unit),
        },
    )
