"""Pages of problems and rectification: the list with its three colours, reporting (also from a
visit), the problem page with its history and one form per step of the loop, the dashboard,
categories, the rectification ledger, commitments and the opinions of the opinion box."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ducha.core.downloads import stored_file_response
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.ledgers import services as ledger_services
from ducha.problems import ledgers, qr, selectors, services
from ducha.problems.models import Milestone, Problem, Rectification
from ducha.web.forms import add_service_error
from ducha.web.forms_ledgers import LedgerImportForm
from ducha.web.forms_problems import (
    AnswerForm,
    AssignForm,
    AttachForm,
    CategoryForm,
    ClaimForm,
    CloseForm,
    CommitmentForm,
    DecideForm,
    DiscloseForm,
    EscalateForm,
    ExtensionForm,
    OpinionProblemForm,
    ProblemFilterForm,
    ProblemForm,
    ProgressForm,
    ReasonForm,
    RectificationForm,
    SolveForm,
    VerifyForm,
)

from .pages import page_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
S = Problem.Status


def light_of(problem: Problem, day) -> str:
    """The three-colour state of an open rectification, "" when there is none yet."""
    if problem.status not in (S.RECTIFYING, S.CLAIMED):
        return ""
    try:
        return problem.rectification.light(day)
    except Rectification.DoesNotExist:
        return ""


# --- list and report ---------------------------------------------------------------------


@login_required
@require_GET
def problem_list(request):
    user = request.user
    form = ProblemFilterForm(request.GET or None, user=user)
    day = selectors.today()
    page = page_of(request, selectors.problem_list(user, **form.filters(), day=day))
    return render(
        request,
        "web/problems/problem_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(p, light_of(p, day)) for p in page],
            "can_report": access.has_any_cap(user, Cap.LOG_VISITS)
            or access.has_any_cap(user, Cap.HANDLE_PROBLEMS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def problem_create(request):
    user = request.user
    if not (
        access.has_any_cap(user, Cap.LOG_VISITS) or access.has_any_cap(user, Cap.HANDLE_PROBLEMS)
    ):
        raise PermissionDenied
    visit_id = request.GET.get("visit") or request.POST.get("visit")
    visit = access.get_visit_for_user(user, visit_id) if visit_id else None
    initial = {"unit": request.GET.get("unit") or (visit.unit_id if visit else None)}
    form = ProblemForm(
        request.POST or None, request.FILES or None, user=user, visit=visit, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.problem_report(
                actor=user,
                unit=data["unit"],
                category=data["category"],
                title=data["title"],
                source=data.get("source") or Problem.Source.VISIT,
                description=data["description"],
                severity=data["severity"],
                campaign=data.get("campaign"),
                is_physical=data["is_physical"],
                place=data["place"],
                visit=visit,
                files=data["files"],
                before_photo=data["before_photo"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The problem was reported."))
            return redirect("problems-problem-detail", problem.pk)
    return render(
        request,
        "web/problems/problem_form.html",
        {"form": form, "visit": visit},
        status=400 if form.errors else 200,
    )


# --- the problem page ----------------------------------------------------------------------

# One form per step of the loop, each under its own prefix: the page shows several at once.
STEP_FORMS = {
    "solve": SolveForm,
    "attach": AttachForm,
    "assign": AssignForm,
    "escalate": EscalateForm,
    "invalidate": ReasonForm,
    "rectification": RectificationForm,
    "progress": ProgressForm,
    "claim": ClaimForm,
    "extension": ExtensionForm,
    "close": CloseForm,
    "send_back": ReasonForm,
    "decide": DecideForm,
    "disclose": DiscloseForm,
    "withdraw": ReasonForm,
}


def _step_form(name: str, request, problem: Problem, *, bound: bool = False, **kwargs):
    form_class = STEP_FORMS[name]
    if form_class in (AssignForm, RectificationForm):
        kwargs["user"] = request.user
    if form_class in (AssignForm, EscalateForm, RectificationForm):
        kwargs["problem"] = problem
    args = (request.POST, request.FILES) if bound else ()
    return form_class(*args, prefix=name, **kwargs)


def _detail(request, problem: Problem, *, bound: tuple[str, object] | None = None, status=200):
    user = request.user
    info = selectors.problem_detail(problem)
    rectification = info["rectification"]
    holder = problem.escalated_to or problem.unit
    can_route = access.has_cap(user, Cap.HANDLE_PROBLEMS, holder)
    can_handle = access.may_handle_problem(user, problem)
    can_verify = access.may_verify_unit(user, problem.unit)
    day = selectors.today()
    forms: dict[str, object] = {}
    routable = problem.status in (S.REPORTED, S.ASSIGNED, S.ESCALATED)
    if problem.status in (S.REPORTED, S.ASSIGNED) and (
        can_route or (problem.status == S.REPORTED and problem.reporter_id == user.pk)
    ):
        forms["solve"] = _step_form("solve", request, problem)
    if routable and can_route:
        forms["assign"] = _step_form("assign", request, problem)
        forms["escalate"] = _step_form("escalate", request, problem)
    if problem.is_open and (can_handle or problem.reporter_id == user.pk):
        forms["attach"] = _step_form("attach", request, problem)
    if problem.is_open and can_route:
        forms["invalidate"] = _step_form("invalidate", request, problem)
    if problem.status == S.ASSIGNED and can_handle:
        forms["rectification"] = _step_form("rectification", request, problem)
    if problem.status == S.RECTIFYING and can_handle:
        forms["progress"] = _step_form("progress", request, problem)
        forms["claim"] = _step_form("claim", request, problem)
        if info["pending_extension"] is None and day <= rectification.deadline:
            forms["extension"] = _step_form("extension", request, problem)
    if problem.status == S.CLAIMED and can_verify:
        forms["close"] = _step_form("close", request, problem)
        forms["send_back"] = _step_form("send_back", request, problem)
    if info["pending_extension"] is not None and can_verify:
        forms["decide"] = _step_form("decide", request, problem)
    if can_handle and problem.status != S.INVALID:
        forms["disclose"] = _step_form(
            "disclose",
            request,
            problem,
            initial={"public_title": problem.public_title, "public_text": problem.public_text},
        )
        if problem.disclosed:
            forms["withdraw"] = _step_form("withdraw", request, problem)
    if bound is not None:
        forms[bound[0]] = bound[1]
    return render(
        request,
        "web/problems/problem_detail.html",
        {
            "problem": problem,
            **info,
            "light": light_of(problem, day),
            "forms": forms,
            "can_handle": can_handle,
            "public_url": reverse("public-problem-detail", args=[problem.pk])
            if problem.disclosed
            else "",
        },
        status=status,
    )


@login_required
@require_GET
def problem_detail(request, problem_id):
    return _detail(request, access.get_problem_for_user(request.user, problem_id))


def _act(request, problem_id, name: str, run: Callable[[Problem, dict], object], message: str):
    """One step of the loop: load the problem, validate the step's form, call its service,
    and go back to the problem page (or show it again with the form's errors)."""
    problem = access.get_problem_for_user(request.user, problem_id)
    form = _step_form(name, request, problem, bound=True)
    if form.is_valid():
        try:
            run(problem, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, message)
            return redirect("problems-problem-detail", problem.pk)
    problem.refresh_from_db()
    return _detail(request, problem, bound=(name, form), status=400)


@login_required
@require_POST
def problem_solve(request, problem_id):
    return _act(
        request,
        problem_id,
        "solve",
        lambda p, d: services.problem_solve_on_spot(
            actor=request.user, problem=p, solution=d["solution"]
        ),
        _("Recorded as solved on the spot."),
    )


@login_required
@require_POST
def problem_attach(request, problem_id):
    return _act(
        request,
        problem_id,
        "attach",
        lambda p, d: services.problem_attach(actor=request.user, problem=p, **d),
        _("The files were added."),
    )


@login_required
@require_POST
def problem_assign(request, problem_id):
    return _act(
        request,
        problem_id,
        "assign",
        lambda p, d: services.problem_assign(
            actor=request.user, problem=p, unit=d["unit"], note=d["note"]
        ),
        _("The problem was assigned."),
    )


@login_required
@require_POST
def problem_escalate(request, problem_id):
    return _act(
        request,
        problem_id,
        "escalate",
        lambda p, d: services.problem_escalate(
            actor=request.user,
            problem=p,
            to_unit=d["to_unit"],
            to_body=d["to_body"],
            reason=d["reason"],
        ),
        _("The problem was escalated."),
    )


@login_required
@require_POST
def problem_invalidate(request, problem_id):
    return _act(
        request,
        problem_id,
        "invalidate",
        lambda p, d: services.problem_invalidate(actor=request.user, problem=p, reason=d["reason"]),
        _("The problem was closed as invalid."),
    )


@login_required
@require_POST
def problem_disclose(request, problem_id):
    return _act(
        request,
        problem_id,
        "disclose",
        lambda p, d: services.problem_disclose(actor=request.user, problem=p, **d),
        _("The problem is shown on the public page."),
    )


@login_required
@require_POST
def problem_withdraw(request, problem_id):
    return _act(
        request,
        problem_id,
        "withdraw",
        lambda p, d: services.problem_withdraw(actor=request.user, problem=p, reason=d["reason"]),
        _("The problem was taken off the public page."),
    )


@login_required
@require_POST
def rectification_set(request, problem_id):
    return _act(
        request,
        problem_id,
        "rectification",
        lambda p, d: services.rectification_set(actor=request.user, problem=p, **d),
        _("The rectification was set."),
    )


@login_required
@require_POST
def rectification_progress(request, problem_id):
    return _act(
        request,
        problem_id,
        "progress",
        lambda p, d: services.rectification_progress(actor=request.user, problem=p, **d),
        _("The progress was recorded."),
    )


@login_required
@require_POST
def rectification_claim(request, problem_id):
    return _act(
        request,
        problem_id,
        "claim",
        lambda p, d: services.rectification_claim(actor=request.user, problem=p, **d),
        _("The rectification is reported done and awaits verification."),
    )


@login_required
@require_POST
def rectification_close(request, problem_id):
    return _act(
        request,
        problem_id,
        "close",
        lambda p, d: services.rectification_close(actor=request.user, problem=p, **d),
        _("The rectification was verified and closed."),
    )


@login_required
@require_POST
def rectification_send_back(request, problem_id):
    return _act(
        request,
        problem_id,
        "send_back",
        lambda p, d: services.rectification_send_back(
            actor=request.user, problem=p, reason=d["reason"]
        ),
        _("The rectification was sent back."),
    )


@login_required
@require_POST
def extension_request(request, problem_id):
    return _act(
        request,
        problem_id,
        "extension",
        lambda p, d: services.extension_request(actor=request.user, problem=p, **d),
        _("The extension was requested."),
    )


@login_required
@require_POST
def extension_decide(request, extension_id):
    extension = selectors.extension_get(request.user, extension_id)
    problem_id = extension.rectification.problem_id
    return _act(
        request,
        problem_id,
        "decide",
        lambda p, d: services.extension_decide(
            actor=request.user, extension=extension, grant=d["decision"] == "grant", note=d["note"]
        ),
        _("The extension request was decided."),
    )


@login_required
@require_POST
def milestone_done(request, milestone_id):
    milestone: Milestone = selectors.milestone_get(request.user, milestone_id)
    services.milestone_done(actor=request.user, milestone=milestone)
    messages.success(request, _("The milestone is marked reached."))
    return redirect("problems-problem-detail", milestone.rectification.problem_id)


@login_required
@require_GET
def evidence_download(request, evidence_id):
    record = selectors.evidence_get(request.user, evidence_id)
    return stored_file_response(
        record.file, filename=record.original_name, content_type=record.content_type
    )


# --- dashboard, categories, ledger ---------------------------------------------------------


@login_required
@require_GET
def dashboard(request):
    user = request.user
    root = access.get_unit_for_user(user, request.GET["unit"]) if request.GET.get("unit") else None
    campaign = (
        access.get_campaign_for_user(user, request.GET["campaign"])
        if request.GET.get("campaign")
        else None
    )
    board = selectors.problem_dashboard(user, root=root, campaign=campaign)
    crumbs = []
    if root is not None:
        crumbs = list(access.units_for_user(user).filter(pk__in=root.ancestor_ids[:-1]))
    return render(
        request,
        "web/problems/dashboard.html",
        {"board": board, "root": root, "campaign": campaign, "crumbs": crumbs},
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_list(request):
    user = request.user
    can_add = access.has_any_cap(user, Cap.MANAGE_CAMPAIGNS)
    form = CategoryForm(request.POST or None, user=user) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.category_create(actor=user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The category was added."))
                return redirect("problems-category-list")
    return render(
        request,
        "web/problems/category_list.html",
        {
            "categories": access.problem_categories_for_user(user).select_related("unit"),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger(request):
    """The rectification ledger: download it, its import template, or import one."""
    user = request.user
    can_import = access.has_any_cap(user, Cap.HANDLE_PROBLEMS)
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    result, filename, status = None, "", 200
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename = ledger_services.clean_filename(upload.name)
            try:
                result = ledger_services.ledger_import(
                    actor=user, ledger=ledgers.LEDGER, file=upload, filename=filename
                )
            except ValidationError as error:
                add_service_error(form, error)
        if result is None or not result.ok:
            status = 400
        else:
            form = LedgerImportForm()
    return render(
        request,
        "web/problems/ledger.html",
        {
            "ledger": ledgers.LEDGER,
            "form": form,
            "result": result,
            "errors": result.errors[:500] if result else [],
            "filename": filename,
            "can_import": can_import,
        },
        status=status,
    )


@login_required
@require_GET
def ledger_export(request):
    out = ledger_services.ledger_export(actor=request.user, ledger=ledgers.LEDGER)
    return FileResponse(out.file, as_attachment=True, filename=out.filename, content_type=XLSX)


@login_required
@require_GET
def ledger_template(request):
    if not access.has_any_cap(request.user, Cap.HANDLE_PROBLEMS):
        raise PermissionDenied
    out = ledger_services.ledger_template(ledger=ledgers.LEDGER)
    return FileResponse(out.file, as_attachment=True, filename=out.filename, content_type=XLSX)


# --- commitments ---------------------------------------------------------------------------


@login_required
@require_GET
def commitment_list(request):
    user = request.user
    unit = access.get_unit_for_user(user, request.GET["unit"]) if request.GET.get("unit") else None
    person = (
        access.get_person_for_user(user, request.GET["person"])
        if request.GET.get("person")
        else None
    )
    page = page_of(
        request,
        selectors.commitment_list(user, unit=unit, person=person, kind=request.GET.get("kind", "")),
    )
    return render(
        request,
        "web/problems/commitment_list.html",
        {
            "page": page,
            "rows": [(c, access.may_verify_unit(user, c.unit)) for c in page],
            "unit": unit,
            "person": person,
            "verify_form": VerifyForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_create(request):
    user = request.user
    initial = {k: request.GET[k] for k in ("problem", "kind", "unit") if request.GET.get(k)}
    form = CommitmentForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The commitment was recorded."))
            return redirect(f"{reverse('problems-commitment-list')}?unit={commitment.unit_id}")
    return render(
        request,
        "web/problems/commitment_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def commitment_verify(request, commitment_id):
    commitment = access.get_commitment_for_user(request.user, commitment_id)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_verify(
                actor=request.user,
                commitment=commitment,
                kept=form.cleaned_data["result"] == "kept",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The commitment was verified."))
    else:
        messages.error(request, _("Choose kept or broken."))
    return redirect(f"{reverse('problems-commitment-list')}?unit={commitment.unit_id}")


# --- opinions ------------------------------------------------------------------------------


@login_required
@require_GET
def opinion_list(request):
    user = request.user
    if not access.has_any_cap(user, Cap.HANDLE_PROBLEMS):
        raise PermissionDenied
    page = page_of(request, selectors.opinion_list(user, status=request.GET.get("status", "")))
    return render(
        request,
        "web/problems/opinion_list.html",
        {
            "page": page,
            "units": access.units_for_user(user, Cap.HANDLE_PROBLEMS)[:50],
        },
    )


def _opinion_page(request, opinion, *, answer_form=None, problem_form=None, status=200):
    return render(
        request,
        "web/problems/opinion_detail.html",
        {
            "opinion": opinion,
            "answer_form": answer_form or AnswerForm(initial={"answer": opinion.answer}),
            "problem_form": problem_form
            or OpinionProblemForm(
                user=request.user, prefix="problem", initial={"title": opinion.text[:60]}
            ),
        },
        status=status,
    )


@login_required
@require_GET
def opinion_detail(request, opinion_id):
    return _opinion_page(request, access.get_opinion_for_user(request.user, opinion_id))


@login_required
@require_POST
def opinion_answer(request, opinion_id):
    opinion = access.get_opinion_for_user(request.user, opinion_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.opinion_answer(actor=request.user, opinion=opinion, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The answer was published."))
            return redirect("problems-opinion-detail", opinion.pk)
    return _opinion_page(request, opinion, answer_form=form, status=400)


@login_required
@require_POST
def opinion_to_problem(request, opinion_id):
    opinion = access.get_opinion_for_user(request.user, opinion_id)
    form = OpinionProblemForm(request.POST, user=request.user, prefix="problem")
    if form.is_valid():
        try:
            problem = services.opinion_to_problem(
                actor=request.user, opinion=opinion, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The opinion was registered as a problem."))
            return redirect("problems-problem-detail", problem.pk)
    return _opinion_page(request, opinion, problem_form=form, status=400)


def public_link(request, name: str, *args) -> str:
    """An absolute link for printing: the configured site address in production."""
    path = reverse(name, args=args)
    if settings.SITE_URL and not settings.DEBUG:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


@login_required
@require_GET
def opinion_box(request, unit_id):
    """The unit's opinion box: its public link, the QR code and the printable poster."""
    unit = access.get_unit_for_user(request.user, unit_id)
    link = public_link(request, "public-opinion-create", unit.pk)
    return render(
        request,
        "web/problems/opinion_box.html",
        {"unit": unit, "link": link, "qr_svg": qr.qr_svg(link, scale=6)},
    )
