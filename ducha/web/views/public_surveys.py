"""Public pages, no account needed: answering a survey from a printed link or QR code, the
results an office published, and the published typical cases.

The pages are plain forms meant for a cheap phone on a slow network: no script, one small
stylesheet. The client is known only by a random id in a signed cookie (antiabuse.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ducha.orgs.models import OrgUnit
from ducha.surveys import antiabuse, periods, results, selectors
from ducha.surveys.models import Feedback, Survey
from ducha.surveys.services import answering
from ducha.web.forms import add_service_error
from ducha.web.forms_surveys import AnswerForm

from .pages import page_of


def _survey_and_unit(public_key: str, unit_id: int) -> tuple[Survey, OrgUnit]:
    survey = get_object_or_404(
        Survey.objects.select_related("unit", "current_version").exclude(
            status=Survey.Status.DRAFT
        ),
        public_key=public_key,
    )
    if survey.audience != Survey.Audience.PUBLIC:
        raise Http404
    unit = get_object_or_404(selectors.targets_of(survey), pk=unit_id)
    return survey, unit


def _client_id(request) -> tuple[str, bool]:
    """The client's id from its signed cookie, or a new one (True: set the cookie)."""
    value = request.get_signed_cookie(
        antiabuse.CLIENT_COOKIE, default=None, salt=antiabuse.CLIENT_COOKIE_SALT
    )
    if antiabuse.valid_client_id(value):
        return value, False
    return antiabuse.new_client_id(), True


def _with_cookie(response, client_id: str, is_new: bool):
    if is_new:
        response.set_signed_cookie(
            antiabuse.CLIENT_COOKIE,
            client_id,
            salt=antiabuse.CLIENT_COOKIE_SALT,
            max_age=antiabuse.CLIENT_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@require_http_methods(["GET", "POST"])
def answer(request, public_key, unit_id):
    survey, unit = _survey_and_unit(public_key, unit_id)
    client_id, is_new = _client_id(request)
    context = {"survey": survey, "unit": unit}
    if not survey.is_open:
        return render(request, "web/surveys/public/closed.html", context, status=410)
    if not survey.has_subjects and answering.has_answered_public(client_id, survey, unit):
        status = 409 if request.method == "POST" else 200
        response = render(request, "web/surveys/public/already.html", context, status=status)
        return _with_cookie(response, client_id, is_new)

    version = selectors.version_with_questions(survey.current_version)
    subjects = selectors.subjects_of(survey, unit) if survey.has_subjects else None
    token = antiabuse.make_form_token(survey_id=survey.pk, unit_id=unit.pk, client_id=client_id)
    form = AnswerForm(
        request.POST or None, version=version, subjects=subjects, token=token, public=True
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.is_bot:
            # Seen only by scripts: they are thanked and nothing is kept.
            return redirect("surveys-public-thanks", survey.public_key, unit.pk)
        if form.is_valid():
            try:
                answering.response_submit_public(
                    survey=survey,
                    unit=unit,
                    answers=form.answers(),
                    client_id=client_id,
                    ip=antiabuse.client_ip(request),
                    form_token=form.cleaned_data.get("token", ""),
                    subject=form.cleaned_data.get("subject"),
                )
            except antiabuse.RateLimited:
                return render(request, "web/surveys/public/slow_down.html", context, status=429)
            except ValidationError as error:
                code = getattr(error, "code", None)
                if code == "duplicate":
                    return render(request, "web/surveys/public/already.html", context, status=409)
                if code == "closed":
                    return render(request, "web/surveys/public/closed.html", context, status=410)
                add_service_error(form, error)
                # A fresh token with the errors, so the corrected form can be sent.
                form.data = form.data.copy()
                form.data["token"] = token
            else:
                response = redirect("surveys-public-thanks", survey.public_key, unit.pk)
                return _with_cookie(response, client_id, is_new)
        status = 400
    context.update({"form": form, "version": version})
    response = render(request, "web/surveys/public/answer.html", context, status=status)
    return _with_cookie(response, client_id, is_new)


@require_GET
def thanks(request, public_key, unit_id):
    survey, unit = _survey_and_unit(public_key, unit_id)
    return render(request, "web/surveys/public/thanks.html", {"survey": survey, "unit": unit})


@require_GET
def published_results(request, public_key, unit_id):
    """What the office published to the public about a unit: the latest period, or the one
    asked for."""
    survey, unit = _survey_and_unit(public_key, unit_id)
    if not survey.publish_to_public:
        raise Http404
    published = Feedback.objects.filter(survey=survey, unit=unit, to_public=True).order_by(
        "-period"
    )
    period = request.GET.get("period", "")
    feedback = published.filter(period=period).first() if period else published.first()
    if feedback is None:
        raise Http404
    cell = results.cell_results(survey, unit, feedback.period, approved_texts_only=True)
    return render(
        request,
        "web/surveys/public/results.html",
        {
            "survey": survey,
            "unit": unit,
            "feedback": feedback,
            "cell": cell,
            "period_label": periods.label(feedback.period),
            "periods": list(published.values_list("period", flat=True)),
        },
    )


@require_GET
def case_list(request):
    return render(
        request,
        "web/surveys/public/case_list.html",
        {"page": page_of(request, selectors.published_cases())},
    )


@require_GET
def case_detail(request, case_id):
    case = get_object_or_404(selectors.published_cases(), pk=case_id)
    return render(request, "web/surveys/public/case_detail.html", {"case": case})
