"""Pages of published scores and appeals: the releases of a campaign, one release with a
link behind every number, a unit's own scores, filing and deciding an appeal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ducha.assessment import appeals, releases
from ducha.assessment.links import satisfaction_survey_id, source_url
from ducha.assessment.models import Appeal, Indicator, ScoreRelease
from ducha.core.downloads import stored_file_response
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.web.forms import add_service_error
from ducha.web.forms_appeals import AppealDecisionForm, AppealForm, ReleasePublishForm


def _campaign(user, campaign_id):
    campaign = access.get_campaign_for_user(user, campaign_id)
    if not access.may_see_assessment(user, campaign):
        raise PermissionDenied
    return campaign


def _release(user, release_id) -> ScoreRelease:
    release = access.get_score_release_for_user(user, release_id)
    if not access.may_see_assessment(user, release.campaign):
        raise PermissionDenied
    return release


# --- links behind the numbers ----------------------------------------------------------------


class CellLinks:
    """The page behind each number of a release: the hand score's evidence, the appeal that
    corrected it, or the page of the data a computed value comes from. Those who see only
    their own rows get the first two; other pages are the campaign's whole picture."""

    def __init__(self, release: ScoreRelease, *, full: bool):
        self.release, self.full = release, full
        self._survey = False

    def _satisfaction_survey(self):
        if self._survey is False:
            self._survey = satisfaction_survey_id(self.release.campaign_id)
        return self._survey

    def url(self, cell: dict, unit_id: int) -> str:
        try:
            return self._url(cell, unit_id)
        except NoReverseMatch:
            return ""

    def _url(self, cell: dict, unit_id: int) -> str:
        release, source, record = self.release, cell.get("source"), cell.get("record_id")
        campaign_id = release.campaign_id
        if source == releases.MANUAL:
            if not record:
                return ""
            return f"{reverse('assessment-score-evidence', args=[record])}?release={release.pk}"
        if source == releases.CORRECTION:
            return reverse("assessment-appeal-detail", args=[record]) if record else ""
        if not self.full:
            return ""
        survey = self._satisfaction_survey() if source == Indicator.Source.SATISFACTION else None
        return source_url(
            source=source,
            campaign_id=campaign_id,
            unit_id=unit_id,
            period=release.period,
            survey_id=survey,
        )

    def rows(self, rows: list[dict], indicators: list[dict]) -> list[dict]:
        """The rows with each cell carrying its indicator and url, for the template."""
        by_id = {i["id"]: i for i in indicators}
        return [
            {
                **row,
                "cells": [
                    {
                        **cell,
                        "indicator": by_id.get(cell["indicator_id"], {}),
                        "url": self.url(cell, row["unit_id"]),
                    }
                    for cell in row["cells"]
                ],
            }
            for row in rows
        ]


# --- releases --------------------------------------------------------------------------------


def _release_list_page(request, campaign, form, status=200):
    return render(
        request,
        "web/assessment/release_list.html",
        {
            "campaign": campaign,
            "releases": releases.release_list(campaign),
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def release_list(request, campaign_id):
    user = request.user
    campaign = _campaign(user, campaign_id)
    form = None
    if access.may_manage_campaign(user, campaign):
        form = ReleasePublishForm(initial={"period": releases.today().strftime("%Y-%m")})
    return _release_list_page(request, campaign, form)


@login_required
@require_POST
def release_publish(request, campaign_id):
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id, write=True)
    form = ReleasePublishForm(request.POST)
    if form.is_valid():
        try:
            release, created = releases.release_publish(
                actor=user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("Version %(version)s of the scores of %(period)s was published.")
                    % {"version": release.version, "period": release.period},
                )
            else:
                messages.info(
                    request,
                    _("Nothing changed since version %(version)s; no new version was published.")
                    % {"version": release.version},
                )
            return redirect("assessment-release-detail", release.pk)
    return _release_list_page(request, campaign, form, status=400)


@login_required
@require_GET
def release_detail(request, release_id):
    user = request.user
    release = _release(user, release_id)
    links = CellLinks(release, full=True)
    check = releases.release_verify(release=release, user=user)
    can_manage = access.may_manage_campaign(user, release.campaign)
    return render(
        request,
        "web/assessment/release_detail.html",
        {
            "release": release,
            "campaign": release.campaign,
            "rows": links.rows(release.rows, release.indicators),
            "check": check,
            "changed": set(check.changed_unit_ids),
            "newer": release.superseded_by,
            "appeals": access.appeals_for_user(user)
            .filter(release=release)
            .select_related("unit", "indicator", "submitted_by"),
            "appeal_open": releases.appeal_open(release),
            "form": ReleasePublishForm(initial={"period": release.period}) if can_manage else None,
        },
    )


@login_required
@require_GET
def my_scores(request):
    """A unit's own rows of the latest published scores of its campaigns."""
    user = request.user
    blocks = releases.my_scores(user)
    open_appeals = {
        (a.release_id, a.unit_id, a.indicator_id): a
        for a in access.appeals_for_user(user).filter(
            release__in=[b.release for b in blocks], status=Appeal.Status.SUBMITTED
        )
    }
    appeal_units = set(
        access.units_for_user(user, Cap.SUBMIT)
        .filter(pk__in={row["unit_id"] for b in blocks for row in b.rows})
        .values_list("pk", flat=True)
    )
    for block in blocks:
        block.full = access.may_see_assessment(user, block.release.campaign)
        block.rows = CellLinks(block.release, full=block.full).rows(block.rows, block.indicators)
        for row in block.rows:
            row["may_appeal"] = block.may_appeal and row["unit_id"] in appeal_units
            row["open_appeals"] = [
                a
                for key, a in open_appeals.items()
                if key[0] == block.release.pk and key[1] == row["unit_id"]
            ]
    return render(request, "web/assessment/release_my_scores.html", {"blocks": blocks})


@login_required
@require_GET
def score_evidence(request, score_id):
    """What a hand score rests on: its evidence, who gave it and when."""
    user = request.user
    score = access.get_manual_score_for_user(user, score_id)
    release, released_value = None, None
    if request.GET.get("release", "").isdigit():
        try:
            release = access.get_score_release_for_user(user, request.GET["release"])
        except Http404:
            release = None
        if release is not None:
            row = releases.row_of(release, score.unit_id) or {"cells": []}
            cell = next((c for c in row["cells"] if c["indicator_id"] == score.indicator_id), None)
            released_value = cell["value"] if cell else None
    return render(
        request,
        "web/assessment/release_score_evidence.html",
        {
            "score": score,
            "campaign": score.indicator.campaign,
            "release": release,
            "released_value": released_value,
            "changed_since": released_value is not None and released_value != str(score.value),
        },
    )


# --- appeals ---------------------------------------------------------------------------------


def _appeal_form(user, release, data=None, files=None, initial=None):
    row_units = [row["unit_id"] for row in release.rows]
    units = access.units_for_user(user, Cap.SUBMIT).filter(pk__in=row_units).order_by("path")
    return AppealForm(
        data,
        files,
        units=units,
        indicators=releases.indicators_in(release),
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request, release_id):
    user = request.user
    release = access.get_score_release_for_user(user, release_id)
    if request.method == "POST":
        form = _appeal_form(user, release, request.POST, request.FILES)
    else:
        initial = {k: request.GET[k] for k in ("unit", "indicator") if request.GET.get(k)}
        form = _appeal_form(user, release, initial=initial)
    if not form.fields["unit"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            appeal, created = appeals.appeal_file(actor=user, release=release, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if created:
                messages.success(request, _("The appeal was filed."))
            else:
                messages.info(request, _("This appeal was already filed; it is shown here."))
            return redirect("assessment-appeal-detail", appeal.pk)
    return render(
        request,
        "web/assessment/appeal_form.html",
        {
            "release": release,
            "campaign": release.campaign,
            "form": form,
            "appeal_open": releases.appeal_open(release),
        },
        status=400 if request.method == "POST" else 200,
    )


def _appeal_page(request, appeal, form, status=200):
    release = appeal.release
    row = releases.row_of(release, appeal.unit_id)
    if row is not None:
        full = access.may_see_assessment(request.user, release.campaign)
        row = CellLinks(release, full=full).rows([row], release.indicators)[0]
    return render(
        request,
        "web/assessment/appeal_detail.html",
        {
            "appeal": appeal,
            "release": release,
            "campaign": release.campaign,
            "row": row,
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def appeal_detail(request, appeal_id):
    user = request.user
    appeal = access.get_appeal_for_user(user, appeal_id)
    form = None
    if appeal.status == Appeal.Status.SUBMITTED and access.may_decide_appeal(user, appeal):
        form = AppealDecisionForm()
    return _appeal_page(request, appeal, form)


@login_required
@require_POST
def appeal_decide(request, appeal_id):
    user = request.user
    appeal = access.get_appeal_for_user(user, appeal_id, write=True)
    form = AppealDecisionForm(request.POST)
    if form.is_valid():
        try:
            appeal = appeals.appeal_decide(
                actor=user,
                appeal=appeal,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["decision_note"],
                corrected_value=form.cleaned_data["corrected_value"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The appeal was decided."))
            return redirect("assessment-appeal-detail", appeal.pk)
    return _appeal_page(request, appeal, form, status=400)


@login_required
@require_GET
def appeal_file_download(request, appeal_id):
    appeal = access.get_appeal_for_user(request.user, appeal_id)
    if not appeal.file:
        raise Http404
    return stored_file_response(
        appeal.file, filename=appeal.file_name, content_type=appeal.file_type
    )
