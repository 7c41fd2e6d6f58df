"""Public pages under /public/, without login (开门整改、意见箱): a unit's disclosed problems with
their status, progress and dates, its public commitments and answered opinions; the opinion
form with its printable QR poster; a disclosed problem with its rating form; a campaign's
public commitments. No personal data is shown: no names, contacts or reporters.

Public posts pass the anti-abuse checks of ducha/problems/antiabuse.py first: size, rate per
client (and per unit for opinions), the hidden field bots fill in, and the one-time token.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ducha.problems import antiabuse, qr, selectors, services
from ducha.problems.models import Problem
from ducha.web.forms import add_service_error
from ducha.web.forms_problems import OpinionForm, RatingForm

from .pages import page_of
from .problems import public_link

OPINION, RATING = "opinion", "rating"


@require_GET
def unit_page(request, unit_id):
    unit = selectors.public_unit(unit_id)
    return render(
        request,
        "web/public/unit.html",
        {
            "unit": unit,
            "page": page_of(request, selectors.public_problems(unit)),
            "commitments": selectors.public_commitments(unit=unit)[:100],
            "opinions": selectors.public_opinions(unit)[:20],
        },
    )


def _opinion_form(request, unit, form=None, *, refused: str = "", status: int = 200):
    form = form or OpinionForm()
    # Each showing of the form carries a fresh token; a sent one is used up.
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["token"] = antiabuse.form_token(OPINION, unit.pk)
    else:
        form.initial["token"] = antiabuse.form_token(OPINION, unit.pk)
    return render(
        request,
        "web/public/opinion_form.html",
        {"unit": unit, "form": form, "refused": refused, "sent": request.GET.get("sent") == "1"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def opinion_create(request, unit_id):
    unit = selectors.public_unit(unit_id)
    if request.method == "GET":
        return _opinion_form(request, unit)
    client = antiabuse.client_key(request)
    try:
        antiabuse.check_body_size(request)
        antiabuse.rate_limit("opinion-client", client, antiabuse.OPINIONS_PER_CLIENT)
    except antiabuse.Refused as refused:
        return _opinion_form(request, unit, refused=refused.message, status=refused.status)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return _opinion_form(request, unit, form, status=400)
    data = form.cleaned_data
    try:
        if data["website"]:
            raise antiabuse.Refused(
                _("The form was not recognised; it was reloaded, send it again.")
            )
        antiabuse.form_token_use(data["token"], OPINION, unit.pk)
        antiabuse.rate_limit("opinion-unit", str(unit.pk), antiabuse.OPINIONS_PER_UNIT)
    except antiabuse.Refused as refused:
        return _opinion_form(request, unit, form, refused=refused.message, status=refused.status)
    try:
        services.opinion_submit(
            unit=unit, text=data["text"], contact=data["contact"], client=client
        )
    except ValidationError as error:
        add_service_error(form, error)
        return _opinion_form(request, unit, form, status=400)
    return HttpResponseRedirect(f"{reverse('public-opinion-create', args=[unit.pk])}?sent=1")


@require_GET
@cache_control(max_age=3600)
def opinion_qr(request, unit_id):
    unit = selectors.public_unit(unit_id)
    png = qr.qr_png(public_link(request, "public-opinion-create", unit.pk))
    return HttpResponse(png, content_type="image/png")


@require_GET
def opinion_print(request, unit_id):
    """The poster to print and put up at the unit: the link, large, and its QR code."""
    unit = selectors.public_unit(unit_id)
    link = public_link(request, "public-opinion-create", unit.pk)
    return render(
        request,
        "web/public/opinion_print.html",
        {"unit": unit, "link": link, "qr_svg": qr.qr_svg(link, scale=10)},
    )


def _problem_page(request, problem: Problem, form=None, *, refused: str = "", status: int = 200):
    can_rate = problem.status == Problem.Status.CLOSED
    if can_rate:
        form = form or RatingForm()
        token = antiabuse.form_token(RATING, problem.pk)
        if form.is_bound:
            form.data = form.data.copy()
            form.data["token"] = token
        else:
            form.initial["token"] = token
    return render(
        request,
        "web/public/problem_detail.html",
        {
            "problem": problem,
            "progress": selectors.public_progress(problem),
            "ratings": problem.ratings.exclude(comment="")[:50],
            "form": form if can_rate else None,
            "refused": refused,
            "rated": request.GET.get("rated") == "1",
        },
        status=status,
    )


@require_GET
def problem_page(request, problem_id):
    return _problem_page(request, selectors.public_problem(problem_id))


@require_POST
def problem_rate(request, problem_id):
    problem = selectors.public_problem(problem_id)
    client = antiabuse.client_key(request)
    try:
        antiabuse.check_body_size(request)
        antiabuse.rate_limit("rating-client", client, antiabuse.RATINGS_PER_CLIENT)
    except antiabuse.Refused as refused:
        return _problem_page(request, problem, refused=refused.message, status=refused.status)
    if problem.status != Problem.Status.CLOSED:
        # Nothing to rate yet: the same refusal the service gives, before any token is used.
        return _problem_page(
            request, problem, refused=_("Only a closed rectification can be rated."), status=400
        )
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _problem_page(request, problem, form, status=400)
    data = form.cleaned_data
    try:
        if data["website"]:
            raise antiabuse.Refused(
                _("The form was not recognised; it was reloaded, send it again.")
            )
        antiabuse.form_token_use(data["token"], RATING, problem.pk)
    except antiabuse.Refused as refused:
        return _problem_page(request, problem, form, refused=refused.message, status=refused.status)
    try:
        services.rating_submit(
            problem=problem, score=data["score"], comment=data["comment"], client=client
        )
    except ValidationError as error:
        add_service_error(form, error)
        return _problem_page(request, problem, form, status=400)
    return HttpResponseRedirect(f"{reverse('public-problem-detail', args=[problem.pk])}?rated=1")


@require_GET
def campaign_commitments(request, campaign_id):
    campaign = selectors.public_campaign(campaign_id)
    return render(
        request,
        "web/public/commitments.html",
        {
            "campaign": campaign,
            "commitments": selectors.public_commitments(campaign=campaign)[:500],
        },
    )
