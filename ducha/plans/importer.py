"""The plan importer (DOMAIN §14): a pasted or uploaded plan becomes a draft campaign.

plan_import_preview() reads the document and extracts every plan in it; import_draft() turns one
plan into the review form's values, with names matched to people and visiting targets to units
of the actor's scope (guess.py), and the source of each value located for highlighting
(spans.py); campaign_from_import() resolves the fuzzy dates (resolve.py) and creates the
campaign from the reviewed values in one transaction.

The reviewed values (`data`) are a dict:
    title, doc_number, issuer: str; issue_date, starts_on, ends_on: date | None;
    year: int | None — the year of dates written without one or masked (201*, 20xx);
    phases: [{name, start, start_part, end, end_part, start_text, end_text}] — start/end in the
        extractor's forms (YYYY-MM-DD, MM-DD, YYYY-MM, MM), a part early/mid/late or "";
    key_tasks: [{title, text}];
    deadlines: [{what, kind, due, due_text, to}] — due like a phase's start, to the day;
    people: {name: Person | "create" | None} — what each name of the plan stands for;
    leadership: [{role, name, post}];
    quotas: [{text, number, comparator, activity, subject, period}] — activity "group_max" sets
        the campaign's largest visit group instead of a quota;
    assignments: [{person (a name), post, target_text, target_unit: OrgUnit | None}].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.campaigns import services as campaign_services
from ducha.campaigns.models import Campaign, LeadershipMember
from ducha.orgs import access
from ducha.orgs import services as org_services
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person
from ducha.submissions import services as submission_services
from ducha.submissions.models import Requirement
from ducha.visits.models import ContactAssignment, Quota

from .extract import UnsupportedDocument, extract_plan, read_bytes, split_plans
from .extract.header import DOC_NUMBER_LINE
from .extract.normalize import normalize
from .guess import (
    GROUP_MAX,
    UNIT_PLAN_ASKED,
    UNIT_PLAN_TITLE,
    find_key_tasks,
    guess_kind,
    guess_quota,
    match_unit,
)
from .resolve import Resolved, date_or_none, resolve_dates, wording_of
from .spans import OffsetMap, PlanSpans, Segment, plan_spans, segments

EXTENSIONS = (".txt", ".docx")
# About 300 pages: far beyond one plan, and the text waits in the session between the steps.
MAX_CHARS = 500_000
CREATE = "create"

# The plan's group roles (schema keys) as leadership roles.
ROLES = [
    ("leader", LeadershipMember.Role.LEADER),
    ("deputy", LeadershipMember.Role.DEPUTY),
    ("members", LeadershipMember.Role.MEMBER),
    ("office_director", LeadershipMember.Role.OFFICE_DIRECTOR),
]

# The head line of an official document: 东湖区卫生健康局文件, 台州市黄岩区卫生局（通知）.
HEAD_LINE = re.compile(r"\s*[\u4e00-\u9fff（）()]{2,30}(?:文件|[（(]通知[)）])\s*")


# --- reading and extracting ----------------------------------------------------------------


@dataclass
class PlanPart:
    """One plan of the document: its text as the extractor read it, and as the user gave it."""

    index: int
    normalized: str
    base: int  # where it starts in the whole normalised text
    original: str
    plan: dict  # the extractor's output (shared/plan-extract.schema.json)


@dataclass
class ImportPreview:
    text: str
    parts: list[PlanPart]
    mapping: OffsetMap

    @property
    def plans(self) -> list[dict]:
        return [p.plan for p in self.parts]


def _in_language(message: str) -> str:
    """The extractor words its refusals in Chinese and English ("中文 / English"): the half
    in the language of the page."""
    chinese, _sep, english = message.partition(" / ")
    if not english:
        return message
    return chinese if (translation.get_language() or "").startswith("zh") else english


def read_upload(data: bytes, name: str) -> str:
    """The text of an uploaded plan: .txt (UTF-8 or GBK) or .docx. A scan, an image, an old
    Word file or any other format is refused with a message saying to paste the text."""
    try:
        text = read_bytes(data, name)
    except UnsupportedDocument as error:
        raise ValidationError(_in_language(str(error)), code="unsupported") from None
    if PurePosixPath(name.lower()).suffix not in EXTENSIONS:
        raise ValidationError(
            _(
                "“%(name)s” is not supported: only .txt and .docx files are read. Open it, "
                "copy the text and paste it here instead."
            )
            % {"name": name},
            code="unsupported",
        )
    return text


def plan_import_preview(source: str | bytes | IO[bytes], *, name: str = "") -> ImportPreview:
    """Read pasted text (str) or an uploaded file (bytes or a file object named `name`) and
    extract every plan in it, the first one first. Raises ValidationError for empty or
    unreadable input."""
    if isinstance(source, str):
        text = source
    else:
        data = source if isinstance(source, bytes) else source.read()
        text = read_upload(data, name or getattr(source, "name", "") or "")
    if not text.strip():
        raise ValidationError(_("There is no text to import: paste the plan or choose a file."))
    if len(text) > MAX_CHARS:
        raise ValidationError(
            _(
                "The text is too long to import (more than %(n)d characters): import the plans "
                "it holds one at a time."
            )
            % {"n": MAX_CHARS},
            code="too_long",
        )
    normalized = normalize(text)
    mapping = OffsetMap(text, normalized)
    parts: list[PlanPart] = []
    for index, (start, end) in enumerate(_plan_bounds(normalized)):
        chunk = normalized[start:end]
        original = text[mapping.start(start) : mapping.end(end)]
        parts.append(PlanPart(index, chunk, start, original, extract_plan(chunk)))
    return ImportPreview(text=text, parts=parts, mapping=mapping)


def _plan_bounds(normalized: str) -> list[tuple[int, int]]:
    """Where each plan of the text starts and ends. The extractor cuts at a plan's title line;
    the head above it (issuing body, document number) belongs to that plan too."""
    starts, pos = [], 0
    for chunk in split_plans(normalized) or [normalized]:
        start = normalized.find(chunk, pos)
        starts.append(start)
        pos = start + len(chunk)
    for i in range(1, len(starts)):
        head = starts[i]
        lines = normalized[starts[i - 1] : starts[i]].split("\n")[:-1]
        taken, has_number = 0, False
        for line in reversed(lines[-6:]):
            if DOC_NUMBER_LINE.match(line):
                has_number = True
            elif line.strip() and not HEAD_LINE.fullmatch(line):
                break
            taken += len(line) + 1
            if has_number and HEAD_LINE.fullmatch(line):
                break
        if has_number:
            starts[i] = head - taken
    return list(zip(starts, [*starts[1:], pos], strict=True))


# --- the draft: the review form's values ----------------------------------------------------


@dataclass
class ImportDraft:
    part: PlanPart
    unit: OrgUnit | None
    data: dict
    people: list[str]  # distinct names of the plan, in the order the form lists them
    matches: dict[str, list[Person]] = field(default_factory=dict)
    spans: PlanSpans | None = None
    suggested_unit_plan: bool = False

    def segments(self, preview: ImportPreview) -> list[Segment]:
        spans = self.spans.spans if self.spans else []
        return segments(self.part.original, spans, preview.mapping, self.part.base)


def campaign_units(actor) -> QuerySet[OrgUnit]:
    """Units where the actor may issue a campaign (departments report through their unit)."""
    return (
        access.units_for_user(actor, Cap.MANAGE_CAMPAIGNS)
        .filter(is_active=True)
        .exclude(kind=OrgUnit.Kind.DEPARTMENT)
    )


def units_below(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The units a campaign issued at `unit` can pair its leaders with."""
    return (
        OrgUnit.objects.filter(path__startswith=unit.path, is_active=True)
        .exclude(pk=unit.pk)
        .exclude(kind=OrgUnit.Kind.DEPARTMENT)
    )


def _names(plan: dict) -> list[str]:
    names: list[str] = []
    for key, _role in ROLES:
        names += plan["leadership"].get(key) or []
    names += [a["person"] for a in plan.get("assignments") or []]
    return list(dict.fromkeys(n for n in names if n))


def default_unit(actor, issuer: str | None) -> OrgUnit | None:
    """The issuing unit the plan names, among those where the actor may issue campaigns;
    else the actor's topmost such unit."""
    units = list(campaign_units(actor).order_by("depth", "path"))
    if not units:
        return None
    return (match_unit(issuer, units) if issuer else None) or units[0]


def import_draft(
    preview: ImportPreview,
    index: int = 0,
    *,
    actor,
    unit: OrgUnit | None = None,
    year: int | None = None,
) -> ImportDraft:
    """The review form's first values for plan `index`: the extracted fields, people matched by
    name within the actor's scope, visiting targets matched to units under the issuing unit,
    kinds of submissions and quotas guessed from their wording."""
    part = preview.parts[index]
    plan = part.plan
    unit = unit or default_unit(actor, plan.get("issuer"))
    names = _names(plan)
    posts = {a["person"]: (a.get("role") or "") for a in plan.get("assignments") or []}
    assignments = [
        {"person": a["person"], "post": a.get("role") or "", "target_text": target}
        for a in plan.get("assignments") or []
        for target in a.get("targets") or []
    ]
    found = plan_spans(part.normalized, plan, names, assignments)

    matches: dict[str, list[Person]] = {n: [] for n in names}
    people = access.people_for_user(actor).filter(name__in=names).select_related("unit")
    for person in people.order_by("unit__path", "id"):
        matches[person.name].append(person)
    links: dict[str, Person | None] = {}
    for name, candidates in matches.items():
        inside = [p for p in candidates if unit and p.unit.path.startswith(unit.path)]
        links[name] = (
            candidates[0] if len(candidates) == 1 else inside[0] if len(inside) == 1 else None
        )

    targets = list(units_below(unit)) if unit else []
    for row in assignments:
        row["target_unit"] = match_unit(row["target_text"], targets)

    phases = []
    for i, p in enumerate(plan.get("phases") or []):
        start_text, end_text = found.wording.get(f"phase-{i}", ("", ""))
        phases.append(
            {
                "name": p["name"],
                "start": p["start"] or "",
                "start_part": p["start_part"] or "",
                "end": p["end"] or "",
                "end_part": p["end_part"] or "",
                "start_text": (start_text or wording_of(p["start"], p["start_part"]))[:60],
                "end_text": (end_text or wording_of(p["end"], p["end_part"]))[:60],
            }
        )
    deadlines = []
    for i, d in enumerate(plan.get("deadlines") or []):
        due_text = found.wording.get(f"deadline-{i}", ("", ""))[0] or wording_of(d["due"], None)
        deadlines.append(
            {
                "what": d["what"],
                "kind": guess_kind(d["what"]),
                "due": d["due"] or "",
                "due_text": due_text[:60],
                "to": d["to"] or "",
            }
        )
    suggested = bool(UNIT_PLAN_ASKED.search(part.normalized)) and not any(
        d["kind"] == Requirement.Kind.UNIT_PLAN for d in deadlines
    )
    if suggested:
        deadlines.append(
            {
                "what": UNIT_PLAN_TITLE,
                "kind": Requirement.Kind.UNIT_PLAN,
                "due": "",
                "due_text": "",
                "to": "",
            }
        )
    issue_date = date_or_none(plan.get("issue_date"))
    data = {
        "title": plan.get("title") or "",
        "doc_number": plan.get("doc_number") or "",
        "issuer": plan.get("issuer") or "",
        "issue_date": issue_date,
        "year": year or (issue_date.year if issue_date else None),
        "year_placeholder": bool(plan.get("year_placeholder")),
        "starts_on": None,
        "ends_on": None,
        "phases": phases,
        "key_tasks": find_key_tasks(part.normalized),
        "deadlines": deadlines,
        "people": links,
        "leadership": [
            {"role": role, "name": name, "post": posts.get(name, "")[:60]}
            for key, role in ROLES
            for name in plan["leadership"].get(key) or []
        ],
        "quotas": [
            guess_quota(q, found.context.get(f"quota-{i}", ""))
            for i, q in enumerate(plan.get("quotas") or [])
        ],
        "assignments": assignments,
    }
    return ImportDraft(
        part=part,
        unit=unit,
        data=data,
        people=names,
        matches=matches,
        spans=found,
        suggested_unit_plan=suggested,
    )


# --- creating the campaign -------------------------------------------------------------------


def unlinked_assignments(data: dict) -> int:
    """Visiting rows whose person stays unlinked: they are not created (a leader must be a
    person to be paired with a unit)."""
    people = data.get("people") or {}
    return sum(1 for row in data.get("assignments") or [] if people.get(row["person"]) is None)


def _rows(error: ValidationError, prefix: str) -> list[str]:
    return [f"{prefix}: {m}" for m in error.messages]


def _new_code(unit: OrgUnit) -> str:
    n = Person.objects.filter(code__startswith=f"{unit.code}-PL").count() + 1
    while Person.objects.filter(code=f"{unit.code}-PL{n:03d}").exists():
        n += 1
    return f"{unit.code}-PL{n:03d}"


def _check(actor, unit: OrgUnit, data: dict) -> Resolved:
    """Everything that can be checked before anything is written, reported all at once."""
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, unit)
    resolved = resolve_dates(data)
    errors = resolved.errors
    people = data.get("people") or {}
    if CREATE in people.values() and not access.has_cap(actor, Cap.MANAGE_PEOPLE, unit):
        errors.setdefault("people", []).append(
            _(
                "You may not add people at %(unit)s: link each name to an existing person or "
                "leave it unlinked."
            )
            % {"unit": unit.name}
        )
    linked = [p for p in people.values() if isinstance(p, Person)]
    visible = set(
        access.people_for_user(actor)
        .filter(pk__in=[p.pk for p in linked])
        .values_list("pk", flat=True)
    )
    for name, person in people.items():
        if isinstance(person, Person) and person.pk not in visible:
            errors.setdefault("people", []).append(
                _("“%(name)s”: no such person in your scope.") % {"name": name}
            )
    for n, row in enumerate(data.get("assignments") or [], start=1):
        target = row.get("target_unit")
        if target is not None and (target.pk == unit.pk or not target.is_descendant_of(unit)):
            errors.setdefault("assignments", []).append(
                _("Row %(n)d: “%(unit)s” is not under the issuing unit %(issuer)s.")
                % {"n": n, "unit": target.name, "issuer": unit.name}
            )
    for n, row in enumerate(data.get("quotas") or [], start=1):
        try:
            number = Decimal(str(row.get("number")))
        except (InvalidOperation, ValueError):
            number = Decimal(0)
        if not number.is_finite() or number <= 0:
            errors.setdefault("quotas", []).append(
                _("Quota %(n)d: give a number above zero.") % {"n": n}
            )
    if errors:
        raise ValidationError(errors)
    return resolved


def campaign_from_import(*, actor, unit: OrgUnit, data: dict, text: str) -> Campaign:
    """Create the draft campaign a reviewed plan describes, at `unit`, with its phases, key
    tasks, leadership group, required submissions, quotas and the leaders' visiting
    assignments; names marked "create" become people of `unit`. One transaction: any refusal
    leaves nothing behind. `text` is kept as the campaign's plan text."""
    resolved = _check(actor, unit, data)
    phases = resolved.phases
    starts_on = data.get("starts_on") or (min(p[0] for p in phases) if phases else None)
    ends_on = data.get("ends_on") or (max(p[1] for p in phases) if phases else None)
    people: dict[str, Person | None] = {}
    with transaction.atomic():
        campaign = campaign_services.campaign_create(
            actor=actor,
            unit=unit,
            title=data.get("title") or "",
            doc_number=data.get("doc_number") or "",
            issuer=data.get("issuer") or "",
            issue_date=data.get("issue_date"),
            starts_on=starts_on,
            ends_on=ends_on,
            source_text=text,
        )
        rows = [r for r in data.get("phases") or [] if r.get("start") and r.get("end")]
        for n, (row, (start, end)) in enumerate(zip(rows, phases, strict=True), start=1):
            try:
                campaign_services.phase_add(
                    actor=actor,
                    campaign=campaign,
                    name=row["name"],
                    starts_on=start,
                    ends_on=end,
                    start_text=(row.get("start_text") or "")[:60],
                    end_text=(row.get("end_text") or "")[:60],
                    order=n,
                )
            except ValidationError as error:
                raise ValidationError(
                    {"phases": _rows(error, _("Phase %(n)d") % {"n": n})}
                ) from None
        for n, task in enumerate(data.get("key_tasks") or [], start=1):
            try:
                campaign_services.key_task_add(
                    actor=actor, campaign=campaign, number=n, title=task["title"], text=task["text"]
                )
            except ValidationError as error:
                raise ValidationError(
                    {"key_tasks": _rows(error, _("Key task %(n)d") % {"n": n})}
                ) from None
        people = _people(actor, unit, data)
        try:
            campaign_services.leadership_set(
                actor=actor,
                campaign=campaign,
                members=[
                    {**row, "person": people.get(row["name"])}
                    for row in data.get("leadership") or []
                ],
            )
        except ValidationError as error:
            raise ValidationError({"leadership": error.messages}) from None
        for n, (row, due) in enumerate(
            zip(data.get("deadlines") or [], resolved.deadlines, strict=True), 1
        ):
            try:
                submission_services.requirement_create(
                    actor=actor,
                    campaign=campaign,
                    kind=row.get("kind") or Requirement.Kind.OTHER,
                    title=row["what"],
                    due_date=due,
                    due_text=(row.get("due_text") or "")[:60],
                    receiver=(row.get("to") or "")[:100],
                )
            except ValidationError as error:
                raise ValidationError(
                    {"deadlines": _rows(error, _("Submission %(n)d") % {"n": n})}
                ) from None
        quotas = _quotas(actor, campaign, data)
        assignments = _assignments(actor, campaign, data, people)
        audit_record(
            actor=actor,
            action="import",
            obj=campaign,
            unit_path=unit.path,
            after={
                "source": "plan import",
                "phases": len(phases),
                "requirements": len(resolved.deadlines),
                "leadership": len(data.get("leadership") or []),
                "quotas": len(quotas),
                "assignments": len(assignments),
                "people_created": sorted(
                    n for n, v in (data.get("people") or {}).items() if v == CREATE
                ),
            },
        )
    return campaign


def _people(actor, unit: OrgUnit, data: dict) -> dict[str, Person | None]:
    """Each name as a person: the linked one, a new person of `unit`, or None (unlinked)."""
    out: dict[str, Person | None] = {}
    posts = {r["name"]: r.get("post") or "" for r in data.get("leadership") or []}
    posts.update({r["person"]: r.get("post") or "" for r in data.get("assignments") or []})
    for name, choice in (data.get("people") or {}).items():
        if choice == CREATE:
            titles = [t for t in re.split(r"[、，,\s]+", posts.get(name, "")) if t][:5]
            try:
                out[name] = org_services.person_create(
                    actor=actor, unit=unit, name=name, code=_new_code(unit), posts=titles
                )
            except PermissionDenied:
                raise ValidationError(
                    {"people": [_("You may not add people at %(unit)s.") % {"unit": unit.name}]}
                ) from None
            except ValidationError as error:
                raise ValidationError({"people": _rows(error, name)}) from None
        else:
            out[name] = choice if isinstance(choice, Person) else None
    return out


def _quotas(actor, campaign: Campaign, data: dict) -> list[Quota]:
    created = []
    for n, row in enumerate(data.get("quotas") or [], start=1):
        number = Decimal(str(row["number"]))
        if row.get("activity") == GROUP_MAX:
            # "每组不超过5人": the campaign's cap on visit groups, not a count to attain.
            campaign_services.campaign_update(
                actor=actor, campaign=campaign, visit_group_max=int(number)
            )
            continue
        quota = Quota(
            campaign=campaign,
            activity=row.get("activity") or Quota.Activity.VISIT_ANY,
            comparator=row.get("comparator") or Quota.Comparator.AT_LEAST,
            number=number,
            subject=row.get("subject") or Quota.Subject.PERSON,
            period=row.get("period") or Quota.Period.CAMPAIGN,
            text=(row.get("text") or "")[:200],
        )
        try:
            quota.full_clean(exclude=["campaign"])
        except ValidationError as error:
            raise ValidationError({"quotas": _rows(error, _("Quota %(n)d") % {"n": n})}) from None
        quota.save()
        audit_record(
            actor=actor,
            action="create",
            obj=quota,
            unit_path=campaign.unit.path,
            after=snapshot(quota),
        )
        created.append(quota)
    return created


def _assignments(actor, campaign: Campaign, data: dict, people: dict) -> list[ContactAssignment]:
    """The leaders' visiting table (leader → unit). A target no unit was found for is kept in
    its own words (target_text) without a unit; a leader left unlinked is left out."""
    created = []
    for row in data.get("assignments") or []:
        person = people.get(row["person"])
        if person is None:
            continue
        assignment = ContactAssignment(
            campaign=campaign,
            kind=ContactAssignment.Kind.LEADER_UNIT,
            person=person,
            target_unit=row.get("target_unit"),
            target_text=(row.get("target_text") or "")[:200],
            post=(row.get("post") or "")[:60],
        )
        assignment.save()
        audit_record(
            actor=actor,
            action="create",
            obj=assignment,
            unit_path=campaign.unit.path,
            after=snapshot(assignment),
        )
        created.append(assignment)
    return created
