"""A unit's visit report (走访报告) for a campaign: drafted from its visits (counts, places,
problems, notable cases), edited by the unit, then handed in as the campaign's "visit
report" requirement through the submissions service, as a .docx.

The draft and the document are in Chinese whatever the page's language: they are the
unit's report to its bureau, like the Chinese column names of our ledgers. Households are
never named in them (DOMAIN §16); they are counted by kind.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person, Place

from . import selectors
from .models import Visit, VisitReport

HOUSEHOLD_WORDS = {
    Place.HouseholdKind.POOR: "贫困户",
    Place.HouseholdKind.VETERAN_PARTY_MEMBER: "老党员",
    Place.HouseholdKind.PETITIONER: "信访户",
    Place.HouseholdKind.OTHER: "其他农户",
}
NOTABLE_CASES = 3
PROBLEMS_LISTED = 30
EXCERPT = 200
MAX_REPORT = 50_000


@dataclass
class ReportFacts:
    campaign: Campaign
    unit: OrgUnit
    visits: int = 0
    visitor_turns: int = 0
    visitors: int = 0
    first: datetime.date | None = None
    last: datetime.date | None = None
    villages: int = 0
    enterprises: int = 0
    units_visited: int = 0
    households: Counter = field(default_factory=Counter)
    checklist_done: list[tuple[str, str, int]] = field(default_factory=list)
    problems: list[tuple[datetime.date, str, str]] = field(default_factory=list)
    notable: list[tuple[datetime.date, str, str]] = field(default_factory=list)


def _place_label(place: Place) -> str:
    # A household is never named in the report: "东湖村一农户".
    if place.is_household:
        parent = place.parent.name if place.parent_id and place.parent else ""
        return f"{parent}一{HOUSEHOLD_WORDS.get(place.household_kind, '农户')}"
    return place.name


def report_facts(campaign: Campaign, unit: OrgUnit) -> ReportFacts:
    """What the unit's visits of the campaign add up to (its whole subtree's visits)."""
    visits = list(
        Visit.objects.filter(campaign=campaign, unit__path__startswith=unit.path)
        .select_related("checklist", "target_unit")
        .prefetch_related(
            Prefetch("visitors", queryset=Person.objects.only("id")),
            Prefetch("places", queryset=Place.objects.select_related("parent")),
        )
        .order_by("date", "id")
    )
    facts = ReportFacts(campaign=campaign, unit=unit, visits=len(visits))
    if not visits:
        return facts
    facts.first, facts.last = visits[0].date, visits[-1].date
    people: set[int] = set()
    places: dict[int, Place] = {}
    target_units: set[int] = set()
    done: Counter = Counter()
    names: dict[tuple[str, str], tuple[str, str]] = {}
    for visit in visits:
        group = [p.pk for p in visit.visitors.all()]
        facts.visitor_turns += len(group)
        people.update(group)
        # The village first, then the households in it.
        visited = sorted(visit.places.all(), key=lambda p: (p.is_household, p.code))
        for place in visited:
            places[place.pk] = place
        if visit.target_unit_id:
            target_units.add(visit.target_unit_id)
        where = "、".join(_place_label(p) for p in visited) or (
            visit.target_unit.name if visit.target_unit else ""
        )
        if visit.checklist:
            items = {i["key"]: i["text"] for i in visit.checklist.items}
            for key in visit.checklist_answers:
                if key in items:
                    done[(visit.checklist.code, key)] += 1
                    names[(visit.checklist.code, key)] = (visit.checklist.name, items[key])
        for line in visit.problems_found.splitlines():
            if line.strip():
                facts.problems.append((visit.date, where, line.strip()))
        if visit.notes:
            facts.notable.append((visit.date, where, visit.notes))
    facts.visitors = len(people)
    kinds = Counter(p.kind for p in places.values())
    facts.villages = sum(kinds[k] for k in (Place.Kind.VILLAGE, Place.Kind.COMMUNITY))
    facts.enterprises = kinds[Place.Kind.ENTERPRISE]
    facts.units_visited = len(target_units)
    facts.households = Counter(p.household_kind for p in places.values() if p.is_household)
    facts.checklist_done = [(*names[key], count) for key, count in done.most_common()]
    # Notable cases: the fullest accounts, those that found problems first.
    facts.notable.sort(key=lambda n: -len(n[2]))
    facts.notable = facts.notable[:NOTABLE_CASES]
    return facts


def _day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def draft_text(facts: ReportFacts) -> str:
    campaign, unit = facts.campaign, facts.unit
    doc = f"（{campaign.doc_number}）" if campaign.doc_number else ""
    lines = [
        f"{unit.name}关于“{campaign.title}”走访情况的报告",
        "",
        f"根据《{campaign.title}》{doc}的要求，我单位组织党员干部职工深入联系村（社、居）、"
        "企业开展走访活动，现将走访情况报告如下：",
        "",
        "一、基本情况",
    ]
    if not facts.visits:
        lines.append("活动期间我单位尚未记录走访。")
    else:
        reached = [f"村（社、居）{facts.villages}个", f"企业{facts.enterprises}家"]
        if facts.units_visited:
            reached.append(f"单位{facts.units_visited}个")
        total_households = sum(facts.households.values())
        if total_households:
            parts = "、".join(
                f"{HOUSEHOLD_WORDS[kind]}{n}户"
                for kind, n in sorted(facts.households.items())
                if kind in HOUSEHOLD_WORDS
            )
            reached.append(f"农户{total_households}户（其中{parts}）")
        lines.append(
            f"{_day(facts.first)}至{_day(facts.last)}，我单位共开展走访{facts.visits}次，"
            f"参加走访{facts.visitor_turns}人次（{facts.visitors}人），走访"
            + "、".join(reached)
            + "。"
        )
    lines += ["", "二、走访清单落实情况"]
    if facts.checklist_done:
        by_list: dict[str, list[str]] = {}
        for name, item, count in facts.checklist_done:
            by_list.setdefault(name, []).append(f"{item}{count}次")
        for name, items in by_list.items():
            lines.append(f"“{name}”：" + "、".join(items) + "。")
    else:
        lines.append("（无清单记录）")
    lines += ["", "三、发现的问题"]
    if facts.problems:
        lines.append(f"走访中共发现问题{len(facts.problems)}条：")
        for n, (day, where, text) in enumerate(facts.problems[:PROBLEMS_LISTED], start=1):
            lines.append(f"{n}. {_day(day)}，{where}：{text}")
        if len(facts.problems) > PROBLEMS_LISTED:
            lines.append(f"（另有{len(facts.problems) - PROBLEMS_LISTED}条见走访台账。）")
    else:
        lines.append("走访中未发现问题。")
    lines += ["", "四、典型事例"]
    if facts.notable:
        for n, (day, where, text) in enumerate(facts.notable, start=1):
            excerpt = text if len(text) <= EXCERPT else text[:EXCERPT] + "……"
            lines.append(f"{n}. {_day(day)}，{where}：{excerpt}")
    else:
        lines.append("（请补充）")
    lines += ["", "五、下一步工作", "（请补充）", "", unit.name, _day(selectors.today())]
    return "\n".join(lines)


def report_docx(report: VisitReport) -> ContentFile:
    """The report as a Word document: the first line is the title, 一、… lines headings."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    lines = report.text.splitlines() or [""]
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(lines[0])
    run.bold = True
    run.font.size = Pt(16)
    for line in lines[1:]:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        if line[:2] in {"一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、"}:
            run.bold = True
    out = io.BytesIO()
    document.save(out)
    return ContentFile(out.getvalue(), name=f"{report.unit.name}走访报告.docx")


# --- actions -------------------------------------------------------------------------------


def _require_reporter(actor, campaign: Campaign, unit: OrgUnit) -> None:
    """Outside the actor's sight: 404; seen but not theirs to report for: 403."""
    if not access.campaigns_for_user(actor).filter(pk=campaign.pk).exists():
        raise Http404
    if not access.has_cap(actor, Cap.VIEW, unit):
        raise Http404
    if not access.may_submit(actor, unit):
        raise PermissionDenied


def visit_report_draft(
    *, actor, campaign: Campaign, unit: OrgUnit, redraft: bool = False
) -> VisitReport:
    """The unit's report, drafted from its visits the first time (or again on request)."""
    _require_reporter(actor, campaign, unit)
    if not selectors.takes_part(campaign, unit):
        raise ValidationError(_("%(unit)s does not take part in this campaign.") % {"unit": unit})
    report = VisitReport.objects.filter(campaign=campaign, unit=unit).first()
    if report is not None and not redraft:
        return report
    text = draft_text(report_facts(campaign, unit))
    with transaction.atomic():
        if report is None:
            report = VisitReport.objects.create(campaign=campaign, unit=unit, text=text)
            audit_record(
                actor=actor,
                action="create",
                obj=report,
                unit_path=unit.path,
                after=snapshot(report),
            )
        else:
            before = snapshot(report)
            report.text = text
            report.save(update_fields=["text", "updated_at"])
            audit_record(
                actor=actor,
                action="update",
                obj=report,
                unit_path=unit.path,
                before=before,
                after=snapshot(report),
            )
    return report


def visit_report_update(*, actor, report: VisitReport, text: str) -> VisitReport:
    _require_reporter(actor, report.campaign, report.unit)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("The report is empty.")]})
    if len(text) > MAX_REPORT:
        raise ValidationError({"text": [_("At most %(n)s characters.") % {"n": f"{MAX_REPORT:,}"}]})
    before = snapshot(report)
    report.text = text
    with transaction.atomic():
        report.save(update_fields=["text", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            obj=report,
            unit_path=report.unit.path,
            before=before,
            after=snapshot(report),
        )
    return report


def visit_report_requirement(report: VisitReport):
    """The campaign's visit-report requirement this unit must hand in, or None."""
    from ducha.submissions import selectors as submission_selectors
    from ducha.submissions.models import Requirement

    for requirement in Requirement.objects.filter(
        campaign=report.campaign, kind=Requirement.Kind.VISIT_REPORT
    ).order_by("due_date", "id"):
        if submission_selectors.must_submit(requirement, report.unit):
            return requirement
    return None


def visit_report_submit(*, actor, report: VisitReport, client_token: str) -> VisitReport:
    """Hand the report in as the unit's visit-report submission, as a .docx."""
    from ducha.submissions import services as submission_services

    _require_reporter(actor, report.campaign, report.unit)
    requirement = visit_report_requirement(report)
    if requirement is None:
        raise ValidationError(
            _("This campaign asks your unit for no visit report."), code="no_requirement"
        )
    version = submission_services.submission_submit(
        actor=actor,
        requirement=requirement,
        unit=report.unit,
        files=[report_docx(report)],
        note=_("Visit report drafted from the unit's visit records."),
        client_token=client_token,
    )
    before = snapshot(report)
    with transaction.atomic():
        report.submitted_at = version.submitted_at or timezone.now()
        report.submission = version.submission
        report.save(update_fields=["submitted_at", "submission", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            obj=report,
            unit_path=report.unit.path,
            before=before,
            after=snapshot(report),
        )
    return report
