"""Pages of exemplars and commendation: honours, nominations recommended level by level with
their evidence, and typical cases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ducha.core.downloads import stored_file_response
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.surveys import selectors
from ducha.surveys.models import Nomination, TypicalCase
from ducha.surveys.services import recognition
from ducha.web.forms import add_service_error
from ducha.web.forms_surveys import (
    CaseReviewForm,
    DecisionForm,
    EvidenceForm,
    HonourForm,
    NominationForm,
    TypicalCaseForm,
)

from .pages import page_of


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


def _may_nominate_anywhere(user) -> bool:
    return access.has_any_cap(user, Cap.SUBMIT) or access.has_any_cap(user, Cap.MANAGE_CAMPAIGNS)


# --- honours ---------------------------------------------------------------------------------


@login_required
@require_GET
def honour_list(request):
    user = request.user
    return render(
        request,
        "web/surveys/honour_list.html",
        {
            "page": page_of(request, selectors.honour_list(user)),
            "awaiting": selectors.awaiting_decision(user)[:50],
            "can_create": access.has_any_cap(user, Cap.MANAGE_CAMPAIGNS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def honour_create(request):
    user = request.user
    if not access.has_any_cap(user, Cap.MANAGE_CAMPAIGNS):
        raise PermissionDenied
    form = HonourForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            honour = recognition.honour_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The honour “%(h)s” was created.") % {"h": honour})
            return redirect("surveys-honour-detail", honour.pk)
    return render(request, "web/surveys/honour_form.html", {"form": form})


@login_required
@require_GET
def honour_detail(request, honour_id):
    user = request.user
    honour = access.get_honour_for_user(user, honour_id)
    nominations = selectors.nomination_list(user, honour=honour)
    return render(
        request,
        "web/surveys/honour_detail.html",
        {
            "honour": honour,
            "page": page_of(request, nominations),
            "can_manage": access.has_cap(user, Cap.MANAGE_CAMPAIGNS, honour.unit),
            "can_nominate": honour.is_open and _may_nominate_anywhere(user),
        },
    )


@login_required
@require_POST
def honour_open(request, honour_id):
    user = request.user
    honour = access.get_honour_for_user(user, honour_id, write=True)
    recognition.honour_set_open(actor=user, honour=honour, is_open=request.POST.get("open") == "1")
    return redirect("surveys-honour-detail", honour.pk)


# --- nominations -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request, honour_id):
    user = request.user
    honour = access.get_honour_for_user(user, honour_id)
    if not _may_nominate_anywhere(user):
        raise PermissionDenied
    form = NominationForm(request.POST or None, request.FILES or None, user=user, honour=honour)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            nomination = recognition.nomination_create(actor=user, honour=honour, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The nomination was sent to %(u)s.") % {"u": nomination.at_unit}
            )
            return redirect("surveys-nomination-detail", nomination.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "web/surveys/nomination_form.html", {"form": form, "honour": honour}, status=status
    )


@login_required
@require_GET
def nomination_detail(request, nomination_id):
    user = request.user
    nomination = access.get_nomination_for_user(user, nomination_id)
    return _nomination_page(request, nomination)


def _nomination_page(request, nomination: Nomination, *, decision_form=None, status=200):
    user = request.user
    may_decide = recognition.may_decide(user, nomination)
    return render(
        request,
        "web/surveys/nomination_detail.html",
        {
            "nomination": nomination,
            "steps": nomination.steps.select_related("unit", "actor"),
            "evidence": nomination.evidence.all(),
            "may_decide": may_decide,
            "at_top": nomination.at_unit_id == nomination.honour.unit_id,
            "decision_form": decision_form or (DecisionForm() if may_decide else None),
            "may_add_evidence": nomination.status == Nomination.Status.PENDING
            and access.may_nominate_at(user, nomination.from_unit),
            "evidence_form": EvidenceForm(),
        },
        status=status,
    )


@login_required
@require_POST
def nomination_decide(request, nomination_id):
    user = request.user
    nomination = access.get_nomination_for_user(user, nomination_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            recognition.nomination_decide(actor=user, nomination=nomination, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("surveys-nomination-detail", nomination.pk)
    nomination.refresh_from_db()
    return _nomination_page(request, nomination, decision_form=form, status=400)


@login_required
@require_POST
def evidence_create(request, nomination_id):
    user = request.user
    nomination = access.get_nomination_for_user(user, nomination_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            recognition.nomination_add_evidence(
                actor=user, nomination=nomination, files=form.cleaned_data["files"]
            )
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("The evidence was added."))
    else:
        messages.error(request, _("Attach at least one file."))
    return redirect("surveys-nomination-detail", nomination.pk)


@login_required
@require_GET
def evidence_download(request, nomination_id, evidence_id):
    nomination = access.get_nomination_for_user(request.user, nomination_id)
    record = get_object_or_404(nomination.evidence, pk=evidence_id)
    return stored_file_response(
        record.file, filename=record.original_name, content_type=record.content_type
    )


# --- typical cases ---------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request):
    user = request.user
    status = request.GET.get("status", "")
    status = status if status in TypicalCase.Status.values else ""
    return render(
        request,
        "web/surveys/case_list.html",
        {
            "page": page_of(request, selectors.typical_case_list(user, status=status)),
            "statuses": TypicalCase.Status.choices,
            "status": status,
            "can_create": _may_nominate_anywhere(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    user = request.user
    if not _may_nominate_anywhere(user):
        raise PermissionDenied
    form = TypicalCaseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case = recognition.typical_case_submit(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The case was sent for review."))
            return redirect("surveys-case-detail", case.pk)
    return render(request, "web/surveys/case_form.html", {"form": form, "case": None})


@login_required
@require_http_methods(["GET", "POST"])
def case_update(request, case_id):
    user = request.user
    case = access.get_typical_case_for_user(user, case_id)
    if not access.may_nominate_at(user, case.unit):
        raise PermissionDenied
    form = TypicalCaseForm(request.POST or None, user=user, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            recognition.typical_case_update(actor=user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The case was sent for review again."))
            return redirect("surveys-case-detail", case.pk)
    return render(request, "web/surveys/case_form.html", {"form": form, "case": case})


@login_required
@require_GET
def case_detail(request, case_id):
    user = request.user
    case = access.get_typical_case_for_user(user, case_id)
    may_review = access.may_review_typical_case(user, case)
    return render(
        request,
        "web/surveys/case_detail.html",
        {
            "case": case,
            "may_review": may_review and case.status == TypicalCase.Status.SUBMITTED,
            "may_edit": case.status != TypicalCase.Status.PUBLISHED
            and access.may_nominate_at(user, case.unit),
            "review_form": CaseReviewForm(),
        },
    )


@login_required
@require_POST
def case_review(request, case_id):
    user = request.user
    case = access.get_typical_case_for_user(user, case_id)
    form = CaseReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Publish or return."))
    else:
        try:
            recognition.typical_case_review(actor=user, case=case, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("The review was recorded."))
    return redirect("surveys-case-detail", case.pk)
