"""Pages of surveys for signed-in users: the list, the builder, the public links with their QR
codes and posters, answering as staff, and the results with moderation, feedback and export.
The public answer pages are in public_surveys.py; honours and typical cases in
surveys_recognition.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.surveys import exports, periods, qr, results, selectors
from ducha.surveys.models import Answer, Survey
from ducha.surveys.services import answering, builder
from ducha.surveys.services import results as result_services
from ducha.web.forms import add_service_error
from ducha.web.forms_surveys import (
    AnswerForm,
    FeedbackForm,
    ModerateForm,
    QuestionForm,
    SectionForm,
    StaffTargetForm,
    StatusForm,
    SurveyForm,
)

from .pages import page_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- list and settings -----------------------------------------------------------------------


@login_required
@require_GET
def survey_list(request):
    user = request.user
    status = request.GET.get("status", "")
    status = status if status in Survey.Status.values else ""
    q = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "web/surveys/survey_list.html",
        {
            "page": page_of(request, selectors.survey_list(user, q=q, status=status)),
            "to_answer": selectors.surveys_to_answer(user),
            "statuses": Survey.Status.choices,
            "status": status,
            "q": q,
            "can_create": access.has_any_cap(user, Cap.MANAGE_CAMPAIGNS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request):
    user = request.user
    if not access.has_any_cap(user, Cap.MANAGE_CAMPAIGNS):
        raise PermissionDenied
    form = SurveyForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            survey = builder.survey_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The survey “%(s)s” was created.") % {"s": survey})
            return redirect("surveys-survey-detail", survey.pk)
    return render(request, "web/surveys/survey_form.html", {"form": form, "survey": None})


@login_required
@require_http_methods(["GET", "POST"])
def survey_update(request, survey_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id, write=True)
    form = SurveyForm(request.POST or None, user=user, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            builder.survey_update(actor=user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The survey was saved."))
            return redirect("surveys-survey-detail", survey.pk)
    return render(request, "web/surveys/survey_form.html", {"form": form, "survey": survey})


@login_required
@require_GET
def survey_detail(request, survey_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    version = selectors.version_with_questions(survey.current_version)
    can_manage = access.may_manage_survey(user, survey)
    return render(
        request,
        "web/surveys/survey_detail.html",
        {
            "survey": survey,
            "version": version,
            "targets": selectors.targets_of(survey)[:200],
            "response_count": survey.responses.count(),
            "can_manage": can_manage,
            "next_status": builder.TRANSITIONS.get(survey.status) if can_manage else None,
            "can_answer": survey.is_staff
            and survey.is_open
            and access.may_answer_staff_survey(user, survey),
            "sees_results": selectors.result_units_for_user(user, survey).exists(),
            "section_form": SectionForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def survey_status(request, survey_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
    else:
        try:
            builder.survey_set_status(actor=user, survey=survey, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(
                request, _("The survey is now %(s)s.") % {"s": survey.get_status_display()}
            )
    return redirect("surveys-survey-detail", survey.pk)


# --- sections and questions ------------------------------------------------------------------


def _new_version_note(request, survey: Survey, before: int) -> None:
    survey.refresh_from_db(fields=["current_version"])
    if survey.current_version_id != before:
        messages.info(
            request,
            _(
                "The survey already had answers, so the change made version %(n)s; the answers "
                "given keep the questions they were given."
            )
            % {"n": survey.current_version.number},
        )


@login_required
@require_POST
def section_create(request, survey_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id, write=True)
    form = SectionForm(request.POST)
    before = survey.current_version_id
    if not form.is_valid():
        messages.error(request, _("Give the section a title."))
    else:
        try:
            builder.section_add(actor=user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            _new_version_note(request, survey, before)
    return redirect("surveys-survey-detail", survey.pk)


@login_required
@require_POST
def section_delete(request, survey_id, section_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id, write=True)
    section = get_object_or_404(survey.current_version.sections, pk=section_id)
    before = survey.current_version_id
    builder.section_delete(actor=user, survey=survey, section=section)
    _new_version_note(request, survey, before)
    return redirect("surveys-survey-detail", survey.pk)


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request, survey_id):
    return _question_form(request, survey_id, None)


@login_required
@require_http_methods(["GET", "POST"])
def question_update(request, survey_id, question_id):
    return _question_form(request, survey_id, question_id)


def _question_form(request, survey_id, question_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id, write=True)
    version = survey.current_version
    question = None
    if question_id is not None:
        question = get_object_or_404(version.questions.prefetch_related("choices"), pk=question_id)
    form = QuestionForm(request.POST or None, version=version, question=question)
    if request.method == "POST" and form.is_valid():
        before = survey.current_version_id
        try:
            if question is None:
                builder.question_add(actor=user, survey=survey, **form.service_fields())
            else:
                builder.question_update(
                    actor=user, survey=survey, question=question, **form.service_fields()
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The question was saved."))
            _new_version_note(request, survey, before)
            return redirect("surveys-survey-detail", survey.pk)
    return render(
        request,
        "web/surveys/question_form.html",
        {"form": form, "survey": survey, "question": question, "frozen": version.is_frozen},
    )


@login_required
@require_POST
def question_delete(request, survey_id, question_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id, write=True)
    question = get_object_or_404(survey.current_version.questions, pk=question_id)
    before = survey.current_version_id
    try:
        builder.question_delete(actor=user, survey=survey, question=question)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("The question was deleted."))
        _new_version_note(request, survey, before)
    return redirect("surveys-survey-detail", survey.pk)


# --- public links, QR codes and posters ------------------------------------------------------


def _link_unit(request, survey_id, unit_id):
    """A public survey and one of its units the user may print the link of."""
    survey = access.get_survey_for_user(request.user, survey_id)
    if survey.audience != Survey.Audience.PUBLIC:
        raise Http404
    unit = get_object_or_404(selectors.result_units_for_user(request.user, survey), pk=unit_id)
    return survey, unit


def public_url(request, survey: Survey, unit) -> str:
    path = reverse("surveys-public-answer", args=[survey.public_key, unit.pk])
    return request.build_absolute_uri(path)


@login_required
@require_GET
def survey_links(request, survey_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    if survey.audience != Survey.Audience.PUBLIC:
        raise Http404
    units = selectors.result_units_for_user(user, survey)
    page = page_of(request, units)
    for unit in page:
        unit.public_url = public_url(request, survey, unit)
    return render(request, "web/surveys/survey_links.html", {"survey": survey, "page": page})


@login_required
@require_GET
def survey_qr(request, survey_id, unit_id):
    survey, unit = _link_unit(request, survey_id, unit_id)
    response = HttpResponse(qr.qr_png(public_url(request, survey, unit)), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = (
            f'attachment; filename="survey-{survey.pk}-{unit.code}.png"'
        )
    return response


@login_required
@require_GET
def survey_poster(request, survey_id, unit_id):
    survey, unit = _link_unit(request, survey_id, unit_id)
    url = public_url(request, survey, unit)
    return render(
        request,
        "web/surveys/poster.html",
        {"survey": survey, "unit": unit, "url": url, "qr_svg": qr.qr_svg(url)},
    )


# --- answering as staff ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, survey_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    if not survey.is_staff:
        raise Http404
    if not access.may_answer_staff_survey(user, survey):
        raise PermissionDenied
    units = selectors.targets_of(survey)
    target = StaffTargetForm(request.GET or None, units=units)
    unit = target.cleaned_data["unit"] if target.is_valid() else None
    if unit is None and units.count() == 1:
        unit = units.first()
    context = {"survey": survey, "target_form": target, "unit": unit}
    if unit is None or not survey.is_open:
        return render(request, "web/surveys/staff_answer.html", context)
    version = selectors.version_with_questions(survey.current_version)
    subjects = selectors.subjects_of(survey, unit) if survey.has_subjects else None
    form = AnswerForm(request.POST or None, version=version, subjects=subjects)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            answering.response_submit_staff(
                actor=user,
                survey=survey,
                unit=unit,
                answers=form.answers(),
                subject=form.cleaned_data.get("subject"),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "duplicate":
                messages.info(request, _refusal(error))
                return redirect("surveys-survey-detail", survey.pk)
            add_service_error(form, error)
            status = 400
        else:
            messages.success(
                request,
                _("Thank you. Your answer is counted only together with at least %(n)s others.")
                % {"n": results.MIN_STAFF_GROUP},
            )
            return redirect("surveys-survey-detail", survey.pk)
    elif request.method == "POST":
        status = 400
    answered = not survey.has_subjects and answering.has_answered_staff(user, survey, unit)
    context.update({"form": form, "answered": answered, "min_group": results.MIN_STAFF_GROUP})
    return render(request, "web/surveys/staff_answer.html", context, status=status)


# --- results ---------------------------------------------------------------------------------


def _results_scope(request, survey: Survey):
    """The unit and period asked for, among those the user may read."""
    units = selectors.result_units_for_user(request.user, survey)
    try:
        unit = units.get(pk=int(request.GET.get("unit", "")))
    except (ValueError, units.model.DoesNotExist):
        answered = selectors.periods_answered(survey)
        unit = None
        if answered:
            unit = units.filter(
                pk__in=survey.responses.filter(period=answered[0]).values("unit")
            ).first()
        unit = unit or units.first()
    if unit is None:
        raise Http404
    period = request.GET.get("period", "")
    if not periods.is_valid(survey, period):
        answered = selectors.periods_answered(survey, unit)
        period = answered[0] if answered else periods.current(survey)
    return units, unit, period


@login_required
@require_GET
def survey_results(request, survey_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    units, unit, period = _results_scope(request, survey)
    office = access.may_see_survey_results(user, survey)
    can_manage = access.may_manage_survey(user, survey)
    subject = None
    if survey.has_subjects and request.GET.get("subject", "").isdigit():
        subject = selectors.subjects_of(survey, unit).filter(pk=request.GET["subject"]).first()
    cell, feedback = selectors.results_for_user(user, survey, unit, period, subject=subject)
    published = cell is not None
    context = {
        "survey": survey,
        "unit": unit,
        "units": units,
        "period": period,
        "periods": selectors.periods_answered(survey, unit) or [period],
        "cell": cell,
        "published": published,
        "feedback": feedback,
        "office": office,
        "can_manage": can_manage,
        "subject": subject,
        "table": results.unit_table(survey, period, units) if office else None,
        "subjects": results.subject_table(survey, unit, period)
        if survey.has_subjects and published
        else None,
        "trend": selectors.trend_for_user(user, survey, unit, period) if published else [],
        "feedback_form": FeedbackForm(
            units=units,
            initial={
                "unit": unit.pk,
                "period": period,
                "text": feedback.text if feedback else "",
                "to_public": feedback.to_public if feedback else False,
            },
        )
        if can_manage
        else None,
        "public_url": public_url(request, survey, unit)
        if survey.publish_to_public and feedback and feedback.to_public
        else "",
        "min_group": results.MIN_STAFF_GROUP,
        "moderation": Answer.Moderation,
    }
    return render(request, "web/surveys/results.html", context)


@login_required
@require_GET
def survey_export(request, survey_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id)
    if not access.may_see_survey_results(user, survey):
        raise PermissionDenied
    units, _unit, period = _results_scope(request, survey)
    out, filename = exports.results_export(actor=user, survey=survey, period=period, units=units)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
@require_POST
def answer_moderate(request, survey_id, answer_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id, write=True)
    answer = get_object_or_404(
        Answer.objects.select_related("question", "response__unit"),
        pk=answer_id,
        response__survey=survey,
    )
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or reject."))
    else:
        try:
            result_services.answer_moderate(
                actor=user, survey=survey, answer=answer, decision=form.cleaned_data["decision"]
            )
        except ValidationError as error:
            messages.error(request, _refusal(error))
    query = f"?unit={answer.response.unit_id}&period={answer.response.period}"
    return redirect(reverse("surveys-survey-results", args=[survey.pk]) + query + "#texts")


@login_required
@require_POST
def feedback_publish(request, survey_id):
    user = request.user
    survey = access.get_survey_for_user(user, survey_id, write=True)
    form = FeedbackForm(request.POST, units=selectors.targets_of(survey))
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    try:
        result_services.feedback_publish(actor=user, survey=survey, **data)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, _("The feedback was published."))
    query = f"?unit={data['unit'].pk}&period={data['period']}"
    return redirect(reverse("surveys-survey-results", args=[survey.pk]) + query)
