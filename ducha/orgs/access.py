"""Who may see or change what. The one place that answers it (STYLE §2).

A role held at a unit reaches that unit's whole subtree. Views, API, exports and search
filter through these functions and never by org on their own. Lookups of a single record
raise the same Http404 for "missing" and for "outside your scope", so ids can't be probed.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from .models import OrgUnit, Person, Place, Role, RoleAssignment


class Cap:
    VIEW = "view"
    MANAGE_UNITS = "manage_units"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_PLACES = "manage_places"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_AUDIT = "view_audit"
    VIEW_PERSONAL_DATA = "view_personal_data"
    MANAGE_CAMPAIGNS = "manage_campaigns"  # create and run campaigns issued at the unit
    REVIEW = "review"  # accept or return the submissions received by a campaign
    SUBMIT = "submit"  # hand in the unit's submissions
    LOG_VISITS = "log_visits"  # log visits, study hours and the problems found on visits
    HANDLE_PROBLEMS = "handle_problems"  # route problems and run the unit's rectification
    VERIFY = "verify"  # verify and close the rectification of units below (the level above)


# What each role may do within its subtree. Personal data of households goes only to those
# who visit them and keep their ledgers (DOMAIN §16), not to administrators or inspectors.
ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {
            Cap.VIEW,
            Cap.MANAGE_UNITS,
            Cap.MANAGE_PEOPLE,
            Cap.MANAGE_PLACES,
            Cap.MANAGE_ACCOUNTS,
            Cap.VIEW_AUDIT,
        }
    ),
    Role.CAMPAIGN_OFFICE: frozenset(
        {
            Cap.VIEW,
            Cap.MANAGE_PLACES,
            Cap.MANAGE_CAMPAIGNS,
            Cap.REVIEW,
            Cap.LOG_VISITS,
            Cap.HANDLE_PROBLEMS,
            Cap.VERIFY,
        }
    ),
    Role.BUREAU_LEADER: frozenset({Cap.VIEW, Cap.LOG_VISITS, Cap.VERIFY}),
    Role.UNIT_HEAD: frozenset(
        {
            Cap.VIEW,
            Cap.MANAGE_PEOPLE,
            Cap.VIEW_PERSONAL_DATA,
            Cap.SUBMIT,
            Cap.LOG_VISITS,
            Cap.HANDLE_PROBLEMS,
        }
    ),
    Role.COORDINATOR: frozenset(
        {
            Cap.VIEW,
            Cap.MANAGE_PEOPLE,
            Cap.MANAGE_PLACES,
            Cap.VIEW_PERSONAL_DATA,
            Cap.SUBMIT,
            Cap.LOG_VISITS,
            Cap.HANDLE_PROBLEMS,
        }
    ),
    Role.STAFF: frozenset({Cap.VIEW, Cap.VIEW_PERSONAL_DATA, Cap.LOG_VISITS}),
    Role.INSPECTOR: frozenset({Cap.VIEW}),
}


def _grants(user) -> list[tuple[str, str]]:
    """(unit path, role) pairs the user holds, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_ducha_grants", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(person__user=user, unit__is_active=True).values_list(
                "unit__path", "role"
            )
        )
        user._ducha_grants = cached
    return cached


def forget_grants(user) -> None:
    if hasattr(user, "_ducha_grants"):
        del user._ducha_grants


def roles_of(user) -> set[str]:
    return {role for _path, role in _grants(user)}


def scope_paths(user, cap: str = Cap.VIEW) -> list[str]:
    """The minimal set of subtree roots where the user holds `cap`."""
    paths = sorted({path for path, role in _grants(user) if cap in ROLE_CAPS.get(role, ())})
    minimal: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in minimal):
            minimal.append(path)
    return minimal


def scope_q(user, field: str = "unit", cap: str = Cap.VIEW) -> Q:
    """A filter on `<field>__path` that keeps rows inside the user's scope for `cap`."""
    prefix = f"{field}__path" if field else "path"
    paths = scope_paths(user, cap)
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{prefix}__startswith": p}) for p in paths))


def has_cap(user, cap: str, unit: OrgUnit | None) -> bool:
    if unit is None:
        return False
    return any(unit.path.startswith(root) for root in scope_paths(user, cap))


def has_any_cap(user, cap: str) -> bool:
    return bool(scope_paths(user, cap))


def require_cap(user, cap: str, unit: OrgUnit | None) -> None:
    if not has_cap(user, cap, unit):
        raise PermissionDenied


# --- org units -----------------------------------------------------------------------------


def units_for_user(user, cap: str = Cap.VIEW) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(scope_q(user, field="", cap=cap))


def scope_roots(user) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__in=scope_paths(user))


def get_unit_for_user(user, unit_id, write: bool = False, cap: str = Cap.MANAGE_UNITS) -> OrgUnit:
    unit = _get_or_404(units_for_user(user), unit_id)
    if write and not has_cap(user, cap, unit):
        raise PermissionDenied
    return unit


# --- people --------------------------------------------------------------------------------


def people_for_user(user) -> QuerySet[Person]:
    return Person.objects.filter(scope_q(user))


def get_person_for_user(user, person_id, write: bool = False) -> Person:
    person = _get_or_404(people_for_user(user).select_related("unit", "user"), person_id)
    if write and not has_cap(user, Cap.MANAGE_PEOPLE, person.unit):
        raise PermissionDenied
    return person


def get_account_person_for_user(user, person_id) -> Person:
    person = _get_or_404(people_for_user(user).select_related("unit", "user"), person_id)
    if not has_cap(user, Cap.MANAGE_ACCOUNTS, person.unit):
        raise PermissionDenied
    return person


# --- places --------------------------------------------------------------------------------


def places_for_user(user) -> QuerySet[Place]:
    return Place.objects.filter(scope_q(user))


def get_place_for_user(user, place_id, write: bool = False) -> Place:
    place = _get_or_404(places_for_user(user).select_related("unit", "parent"), place_id)
    if write and not has_cap(user, Cap.MANAGE_PLACES, place.unit):
        raise PermissionDenied
    return place


def may_see_personal_data(user, place: Place) -> bool:
    return has_cap(user, Cap.VIEW_PERSONAL_DATA, place.unit)


def personal_data_paths(user) -> list[str]:
    """Subtree roots where the user may read households' personal data (for bulk masking)."""
    return scope_paths(user, Cap.VIEW_PERSONAL_DATA)


# --- campaigns -----------------------------------------------------------------------------


def campaigns_for_user(user):
    """Campaigns issued inside the user's scope, and those in which a unit of the scope takes
    part (a hospital sees the district's campaign it must report to)."""
    from ducha.campaigns.models import Campaign, Participant

    paths = scope_paths(user)
    if not paths:
        return Campaign.objects.none()
    in_scope = reduce(or_, (Q(unit__path__startswith=p) for p in paths))
    takes_part = Participant.objects.filter(
        reduce(or_, (Q(unit__path__startswith=p) for p in paths)), campaign=OuterRef("pk")
    )
    return Campaign.objects.filter(in_scope | Exists(takes_part))


def get_campaign_for_user(user, campaign_id, write: bool = False):
    campaign = _get_or_404(campaigns_for_user(user).select_related("unit", "parent"), campaign_id)
    if write and not has_cap(user, Cap.MANAGE_CAMPAIGNS, campaign.unit):
        raise PermissionDenied
    return campaign


def may_manage_campaign(user, campaign) -> bool:
    return has_cap(user, Cap.MANAGE_CAMPAIGNS, campaign.unit)


def may_review(user, campaign) -> bool:
    return has_cap(user, Cap.REVIEW, campaign.unit)


def may_submit(user, unit: OrgUnit) -> bool:
    return has_cap(user, Cap.SUBMIT, unit)


# --- helpers -------------------------------------------------------------------------------


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, queryset.model.DoesNotExist):
        raise Http404 from None


_ID_DIGITS = re.compile(r"\d")


def mask_id_number(value: str) -> str:
    """3301**********1234: the first four and the last four characters stay."""
    if not value:
        return value
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    if not value:
        return value
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """王** — the surname stays."""
    if not value:
        return value
    return value[0] + "*" * max(len(value) - 1, 1)


def masked_place_values(place: Place, *, visible: bool) -> dict[str, str]:
    """The personal fields of a place as the viewer may see them."""
    values = {
        "name": place.name,
        "contact_name": place.contact_name,
        "id_number": place.id_number,
        "phone": place.phone,
    }
    if visible or not place.is_household:
        return values
    return {
        "name": mask_name(place.name),
        "contact_name": mask_name(place.contact_name),
        "id_number": mask_id_number(place.id_number),
        "phone": mask_phone(place.phone),
    }


class PlaceMasker:
    """Masks many places without a query per row: decides by the viewer's subtree roots."""

    def __init__(self, user):
        self.paths = personal_data_paths(user)

    def visible(self, place: Place) -> bool:
        return any(place.unit.path.startswith(p) for p in self.paths)

    def values(self, place: Place) -> dict[str, str]:
        return masked_place_values(place, visible=self.visible(place))


# --- problems, rectification, commitments, opinions (ducha/problems) -------------------------


def problems_for_user(user):
    """Problems whose responsible unit is in the user's scope."""
    from ducha.problems.models import Problem

    return Problem.objects.filter(scope_q(user))


def get_problem_for_user(user, problem_id, write: bool = False):
    """The problem, or 404 alike for missing and out of scope; `write` asks for the right to
    route it and run its rectification (Cap.HANDLE_PROBLEMS at its unit)."""
    problem = _get_or_404(
        problems_for_user(user).select_related(
            "unit", "found_unit", "category", "campaign", "escalated_to", "reporter", "place"
        ),
        problem_id,
    )
    if write and not may_handle_problem(user, problem):
        raise PermissionDenied
    return problem


def may_report_problem(user, unit: OrgUnit | None) -> bool:
    return has_cap(user, Cap.LOG_VISITS, unit) or has_cap(user, Cap.HANDLE_PROBLEMS, unit)


def may_handle_problem(user, problem) -> bool:
    return has_cap(user, Cap.HANDLE_PROBLEMS, problem.unit)


def may_verify_unit(user, unit: OrgUnit | None) -> bool:
    """The level above: Cap.VERIFY held at a strict ancestor of `unit`, and no role at `unit`
    itself that runs its problems. Nobody verifies their own unit's rectification."""
    if unit is None:
        return False
    for path, role in _grants(user):
        if path == unit.path and Cap.HANDLE_PROBLEMS in ROLE_CAPS.get(role, ()):
            return False
    return any(
        unit.path.startswith(root) and unit.path != root for root in scope_paths(user, Cap.VERIFY)
    )


def problem_categories_for_user(user):
    """Built-in categories and those added by a unit above, at or under the user's scope."""
    from ducha.problems.models import Category

    paths = scope_paths(user)
    above = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    return Category.objects.filter(
        Q(unit__isnull=True) | Q(unit_id__in=above) | scope_q(user), is_active=True
    )


def opinions_for_user(user):
    from ducha.problems.models import Opinion

    return Opinion.objects.filter(scope_q(user, cap=Cap.HANDLE_PROBLEMS))


def get_opinion_for_user(user, opinion_id):
    """Opinions are read and answered by those who run the unit's problems; to everyone
    else they are missing."""
    return _get_or_404(opinions_for_user(user).select_related("unit", "problem"), opinion_id)


def commitments_for_user(user):
    from ducha.problems.models import Commitment

    return Commitment.objects.filter(scope_q(user))


def get_commitment_for_user(user, commitment_id):
    return _get_or_404(
        commitments_for_user(user).select_related("unit", "person", "problem", "campaign"),
        commitment_id,
    )


# --- visits --------------------------------------------------------------------------------


def visits_for_user(user):
    """Visit records of units in the user's scope (the visiting unit decides, DOMAIN §6)."""
    from ducha.visits.models import Visit

    return Visit.objects.filter(scope_q(user, field="unit"))


def get_visit_for_user(user, visit_id, write: bool = False):
    visit = _get_or_404(
        visits_for_user(user).select_related("campaign", "unit", "target_unit", "checklist"),
        visit_id,
    )
    if write and not has_cap(user, Cap.LOG_VISITS, visit.unit):
        raise PermissionDenied
    return visit


def may_log_visits(user, unit: OrgUnit) -> bool:
    return has_cap(user, Cap.LOG_VISITS, unit)


# --- surveys, honours and typical cases (ducha/surveys) ----------------------------------------


def _ancestor_ids(paths: list[str]) -> set[int]:
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def surveys_for_user(user):
    """Surveys issued in the user's scope, and those issued above it once they are no longer
    drafts (a hospital answers, and reads its own feedback on, the bureau's survey)."""
    from ducha.surveys.models import Survey

    paths = scope_paths(user)
    if not paths:
        return Survey.objects.none()
    above = Q(unit_id__in=_ancestor_ids(paths)) & ~Q(status=Survey.Status.DRAFT)
    return Survey.objects.filter(scope_q(user) | above)


def get_survey_for_user(user, survey_id, write: bool = False):
    """The survey, or 404 alike for missing and out of scope; `write` asks for the right to
    build it, open and close it and moderate its answers (Cap.MANAGE_CAMPAIGNS at its unit)."""
    survey = _get_or_404(
        surveys_for_user(user).select_related("unit", "campaign", "current_version"), survey_id
    )
    if write and not may_manage_survey(user, survey):
        raise PermissionDenied
    return survey


def may_manage_survey(user, survey) -> bool:
    return has_cap(user, Cap.MANAGE_CAMPAIGNS, survey.unit)


def may_see_survey_results(user, survey) -> bool:
    """All units' results go to those who see the issuing unit; a reviewed unit sees only
    its own, once feedback is published to it."""
    return has_cap(user, Cap.VIEW, survey.unit)


def may_answer_staff_survey(user, survey) -> bool:
    """Staff answer a staff survey of a unit they work in or under (or above, as leaders)."""
    root = survey.unit.path
    return any(p.startswith(root) or root.startswith(p) for p in scope_paths(user))


def honours_for_user(user):
    """Honours awarded in the user's scope or above it (units below nominate upward)."""
    from ducha.surveys.models import Honour

    paths = scope_paths(user)
    if not paths:
        return Honour.objects.none()
    return Honour.objects.filter(scope_q(user) | Q(unit_id__in=_ancestor_ids(paths)))


def get_honour_for_user(user, honour_id, write: bool = False):
    honour = _get_or_404(honours_for_user(user).select_related("unit", "campaign"), honour_id)
    if write and not has_cap(user, Cap.MANAGE_CAMPAIGNS, honour.unit):
        raise PermissionDenied
    return honour


def may_nominate_at(user, unit: OrgUnit | None) -> bool:
    """A unit's coordinator or head, or a campaign office, puts names forward for it."""
    return has_cap(user, Cap.SUBMIT, unit) or has_cap(user, Cap.MANAGE_CAMPAIGNS, unit)


def nominations_for_user(user):
    """Nominations of someone in the user's scope, or awaiting a level in it."""
    from ducha.surveys.models import Nomination

    return Nomination.objects.filter(scope_q(user) | scope_q(user, field="at_unit"))


def get_nomination_for_user(user, nomination_id):
    return _get_or_404(
        nominations_for_user(user).select_related(
            "honour__unit", "person", "unit", "from_unit", "at_unit"
        ),
        nomination_id,
    )


def typical_cases_for_user(user):
    from ducha.surveys.models import TypicalCase

    return TypicalCase.objects.filter(scope_q(user))


def get_typical_case_for_user(user, case_id):
    return _get_or_404(typical_cases_for_user(user).select_related("unit", "campaign"), case_id)


def may_review_typical_case(user, case) -> bool:
    return has_cap(user, Cap.MANAGE_CAMPAIGNS, case.unit)


# --- inspections (ducha/inspections) -----------------------------------------------------------


def inspection_rounds_for_user(user):
    """Rounds issued by a unit in the user's scope."""
    from ducha.inspections.models import InspectionRound

    return InspectionRound.objects.filter(scope_q(user))


def get_inspection_round_for_user(user, round_id, write: bool = False):
    """The round, or 404 alike for missing and out of scope; `write` asks for the right to
    record findings (Cap.MANAGE_CAMPAIGNS at the issuing unit)."""
    inspection_round = _get_or_404(
        inspection_rounds_for_user(user).select_related("unit", "campaign"), round_id
    )
    if write and not has_cap(user, Cap.MANAGE_CAMPAIGNS, inspection_round.unit):
        raise PermissionDenied
    return inspection_round


def _self_inspecting_paths(user) -> list[str]:
    """Where the user files for a unit: roles with Cap.SUBMIT or Cap.HANDLE_PROBLEMS, each
    reaching its subtree (not merged: a role above the issuer must not hide one below it)."""
    caps = {Cap.SUBMIT, Cap.HANDLE_PROBLEMS}
    return sorted({path for path, role in _grants(user) if caps & ROLE_CAPS.get(role, frozenset())})


def _strict_ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.strip("/").split("/") if part]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]


def may_file_self_inspection(user, inspection_round, unit: OrgUnit) -> bool:
    """The inspected side files a hazard sweep's self-inspection: a role reaching `unit` held
    below the issuing unit. The issuing office (or anyone above it) never inspects for a unit."""
    issuer = inspection_round.unit.path
    return any(
        unit.path.startswith(path) and path.startswith(issuer) and path != issuer
        for path in _self_inspecting_paths(user)
    )


def hazard_sweeps_for_unit_user(user):
    """Announced hazard sweeps that inspect a unit the user may file its self-inspection for.
    Unannounced rounds never show to the inspected side."""
    from ducha.inspections.models import InspectionRound

    paths = _self_inspecting_paths(user)
    if not paths:
        return InspectionRound.objects.none()
    through = InspectionRound.units.through.objects.filter(inspectionround=OuterRef("pk"))
    # A role counts for rounds issued strictly above it and inspecting a unit it reaches.
    reaches = reduce(
        or_,
        (
            Q(unit__path__in=_strict_ancestor_paths(p))
            & Exists(through.filter(orgunit__path__startswith=p))
            for p in paths
        ),
    )
    return InspectionRound.objects.filter(
        reaches,
        kind=InspectionRound.Kind.HAZARD_SWEEP,
        mode=InspectionRound.Mode.OPEN,
    )


def get_hazard_sweep_unit_for_user(user, round_id, unit_id, write: bool = False):
    """(round, unit) of a hazard sweep, or 404 alike for a missing round, one out of scope or
    a unit not in it. The issuing side reads every unit; the inspected side reads and files
    (`write`) only its own. The issuing office asking to file is refused (403)."""
    from ducha.inspections.models import InspectionRound

    rounds = InspectionRound.objects.filter(kind=InspectionRound.Kind.HAZARD_SWEEP)
    inspection_round = _get_or_404(rounds.select_related("unit", "campaign"), round_id)
    unit = _get_or_404(inspection_round.units.all(), unit_id)
    issuing_side = has_cap(user, Cap.VIEW, inspection_round.unit)
    own = inspection_round.mode == InspectionRound.Mode.OPEN and may_file_self_inspection(
        user, inspection_round, unit
    )
    if not (issuing_side or own):
        raise Http404
    if write and not own:
        raise PermissionDenied
    return inspection_round, unit


def office_reader(unit: OrgUnit):
    """Someone who reads as the campaign office of `unit` does, for background work done on
    its behalf (the monthly bulletin draft). It has no account: audit entries name no actor."""

    class OfficeReader:
        pk = None
        username = ""
        is_authenticated = True
        is_active = True

    reader = OfficeReader()
    reader._ducha_grants = [(unit.path, Role.CAMPAIGN_OFFICE)]
    return reader


# --- assessment (ducha/assessment) -------------------------------------------------------------


def may_see_assessment(user, campaign) -> bool:
    """Scores and ranking of all units go to those who see the issuing unit."""
    return has_cap(user, Cap.VIEW, campaign.unit)


def bulletins_for_user(user):
    """Bulletins of issuers in the user's scope, and the issued bulletins of the campaigns the
    user's units take part in (a hospital reads the district's bulletin once issued)."""
    from ducha.inspections.models import Bulletin

    if not scope_paths(user):
        return Bulletin.objects.none()
    issued = Q(status=Bulletin.Status.ISSUED, campaign__in=campaigns_for_user(user))
    return Bulletin.objects.filter(scope_q(user) | issued)


def get_bulletin_for_user(user, bulletin_id, write: bool = False):
    bulletin = _get_or_404(bulletins_for_user(user).select_related("unit", "campaign"), bulletin_id)
    if write and not has_cap(user, Cap.MANAGE_CAMPAIGNS, bulletin.unit):
        raise PermissionDenied
    return bulletin


def score_releases_for_user(user):
    """Published scores of the campaigns the user sees; whole releases are read by those who
    may see the assessment, a unit's own rows by the unit (see assessment/releases.py)."""
    from ducha.assessment.models import ScoreRelease

    return ScoreRelease.objects.filter(campaign__in=campaigns_for_user(user))


def get_score_release_for_user(user, release_id):
    return _get_or_404(
        score_releases_for_user(user).select_related("campaign__unit", "published_by"),
        release_id,
    )


def manual_scores_for_user(user):
    """Hand scores of the units in the user's scope, and all scores of campaigns whose
    assessment the user sees."""
    from ducha.assessment.models import ManualScore

    return ManualScore.objects.filter(scope_q(user) | scope_q(user, "indicator__campaign__unit"))


def get_manual_score_for_user(user, score_id):
    return _get_or_404(
        manual_scores_for_user(user).select_related("indicator__campaign", "unit", "actor"),
        score_id,
    )


def appeals_for_user(user):
    """Appeals of units in the user's scope, and all appeals against the campaigns whose
    assessment the user sees."""
    from ducha.assessment.models import Appeal

    return Appeal.objects.filter(scope_q(user) | scope_q(user, "release__campaign__unit"))


def get_appeal_for_user(user, appeal_id, write: bool = False):
    """The appeal, or 404 alike for missing and out of scope; `write` asks for the right to
    decide it (the campaign's office)."""
    appeal = _get_or_404(
        appeals_for_user(user).select_related(
            "release__campaign__unit", "unit", "indicator", "submitted_by", "decided_by"
        ),
        appeal_id,
    )
    if write and not may_decide_appeal(user, appeal):
        raise PermissionDenied
    return appeal


def may_appeal(user, unit: OrgUnit | None) -> bool:
    """A unit's coordinator or head appeals its published score."""
    return has_cap(user, Cap.SUBMIT, unit)


def may_decide_appeal(user, appeal) -> bool:
    return may_manage_campaign(user, appeal.release.campaign)


# --- benchmarks (ducha/benchmarks) ---------------------------------------------------------------


def benchmarks_for_user(user):
    """Benchmarks of units in the user's scope (a unit's benchmarks are seen where it is)."""
    from ducha.benchmarks.models import Benchmark

    return Benchmark.objects.filter(scope_q(user))


def get_benchmark_for_user(user, benchmark_id, write: bool = False):
    """The benchmark, or 404 alike for missing and out of scope; `write` asks for the right to
    enter its values and measures (see may_benchmark)."""
    benchmark = _get_or_404(
        benchmarks_for_user(user).select_related(
            "campaign__unit", "unit", "benchmark_unit", "created_by"
        ),
        benchmark_id,
    )
    if write and not may_benchmark(user, benchmark.campaign, benchmark.unit):
        raise PermissionDenied
    return benchmark


def may_benchmark(user, campaign, unit: OrgUnit | None) -> bool:
    """A unit's coordinator or head, the office of a bureau above it, or the campaign's office
    chooses its benchmarks, enters their values and records its measures."""
    return (
        has_cap(user, Cap.SUBMIT, unit)
        or has_cap(user, Cap.MANAGE_CAMPAIGNS, unit)
        or may_manage_campaign(user, campaign)
    )


def may_see_benchmark_unit_values(user, unit: OrgUnit | None) -> bool:
    """Ducha's own figures of a peer benchmark are shown only to those who see that peer."""
    return has_cap(user, Cap.VIEW, unit)
