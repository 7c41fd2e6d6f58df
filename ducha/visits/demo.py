"""Demo data for visits, called by the demo loader with the district's visiting campaign:
the plan's quotas, the leader → units table of its attachment 2 (matched to units by the
names the plan uses), unit → village and enterprise pairs, doctors' grid cells, and visits
and study hours with a realistic spread: most staff on track, some behind quota, a few
villages never visited.

Deterministic for a given seed. Writes in bulk, with one audit entry per kind of record.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from ducha.audit.services import audit_record
from ducha.campaigns.models import Campaign, Participant
from ducha.orgs.models import OrgUnit, Person, Place, Role, RoleAssignment

from . import selectors
from .contacts import UnitMatcher, normalise, people_by_name, split_targets
from .models import ChecklistTemplate, ContactAssignment, Quota, StudyRecord, Visit

# 附件2 局领导班子成员走访活动安排表, as printed: 姓名, 职务, 调研单位.
ATTACHMENT_2 = [
    ("蒋海峰", "党委书记、局长", "台一医"),
    ("於招明", "党委委员", "区中医院"),
    ("曹利军", "党委委员、副局长", "区第三人民医院、区妇幼保健院"),
    ("金永志", "党委委员、副局长", "区红十字医院及其管辖街道卫生院"),
    ("王  蔚", "党委委员、副局长", "院桥中心卫生院及其管辖乡、镇（街道）卫生院"),
    ("黄  洪", "党委委员、纪委书记", "宁溪中心卫生院及其管辖乡、镇卫生院"),
    ("任文华", "党委委员", "区卫生监督所、区疾病控制中心、北洋中心卫生院及其管辖乡、镇卫生院"),
]

# The plan's quotas (三、（一）"每年不少于2次") and the study hours.
QUOTAS = [
    (
        Quota.Activity.VISIT_VILLAGE,
        2,
        Quota.Subject.PERSON,
        "党员干部职工每年不少于2次深入到各联系村",
    ),
    (Quota.Activity.VISIT_ENTERPRISE, 2, Quota.Subject.LEADER, "局领导走访企业不少于2次"),
    (Quota.Activity.STUDY_SELF, 40, Quota.Subject.PERSON, "自学不少于40学时"),
    (Quota.Activity.STUDY_COLLECTIVE, 10, Quota.Subject.PERSON, "集中学习不少于10学时"),
]

NOTES = [
    "走访{place}，与村两委座谈，了解村民看病就医情况，宣传新农合报销政策。",
    "入户走访{place}，为老人测量血压，登记慢性病随访需求。",
    "在{place}召开民主恳谈会，听取群众对乡镇卫生院服务的意见建议。",
    "到{place}开展健康教育讲座，发放宣传资料，解答群众咨询。",
    "走访{place}，排查矛盾纠纷，了解困难群众就医难问题。",
    "与{place}负责人交流发展思路，了解企业职工健康体检需求。",
]
PROBLEMS = [
    "村卫生室药品配备不全，群众反映常用药经常缺货。",
    "部分老人不清楚新农合报销比例，政策宣传不到位。",
    "村里缺少健康教育宣传栏。",
    "企业职工职业健康体检覆盖不全。",
    "群众反映卫生院夜间急诊等候时间长。",
]
STUDY_TOPICS_SELF = ["学习党的十八大报告精神", "学习医改政策文件", "学习《医疗机构管理条例》"]
STUDY_TOPICS_GROUP = ["中心组理论学习", "党支部集中学习", "医德医风专题学习"]
# How many village visits people make: some none, most the quota, some more.
VISIT_SPREAD = [(0, 12), (1, 18), (2, 45), (3, 18), (4, 7)]
NEVER_VISITED_SHARE = 0.15


def add_visit_demo(
    campaign: Campaign, *, seed: int = 2012, today: datetime.date | None = None
) -> dict[str, int]:
    """Fill the campaign's visiting side; returns how many records of each kind it made."""
    rng = random.Random(seed)
    today = today or selectors.today()
    with transaction.atomic():
        builder = _Builder(campaign, rng, today)
        counts = builder.build()
    return counts


class _Builder:
    def __init__(self, campaign: Campaign, rng: random.Random, today: datetime.date):
        self.campaign = campaign
        self.rng = rng
        self.today = today
        self.root = campaign.unit
        self.units = list(
            OrgUnit.objects.filter(path__startswith=self.root.path, is_active=True).order_by("path")
        )
        participant_ids = set(
            Participant.objects.filter(campaign=campaign).values_list("unit_id", flat=True)
        )
        self.participants = [u for u in self.units if u.pk in participant_ids]
        self.templates = {
            t.code: t for t in ChecklistTemplate.objects.filter(builtin=True, campaign=None)
        }
        self.counts: dict[str, int] = {}

    def build(self) -> dict[str, int]:
        self._quotas()
        leader_units = self._leader_table()
        pairs = self._pairs()
        self._grid_cells()
        # Run again on the same campaign, it completes the definitions and adds no records.
        if Visit.objects.filter(campaign=self.campaign).exists():
            self.counts.update(visit=0, studyrecord=0)
            return self.counts
        self._visits(pairs, leader_units)
        self._study()
        return self.counts

    def _new(self, rows: list[ContactAssignment]) -> list[ContactAssignment]:
        """The rows not yet recorded for the campaign."""
        have = set(
            ContactAssignment.objects.filter(campaign=self.campaign).values_list(
                "kind", "person_id", "unit_id", "target_unit_id", "target_place_id"
            )
        )
        key = ("kind", "person_id", "unit_id", "target_unit_id", "target_place_id")
        return [r for r in rows if tuple(getattr(r, k) for k in key) not in have]

    def _audit(self, model, count: int) -> None:
        self.counts[model._meta.model_name] = count
        audit_record(
            actor=None,
            action="import",
            object_type=model._meta.label_lower,
            object_repr=f"load_demo: {count}",
            unit_path=self.root.path,
            after={"source": "load_demo", "campaign": self.campaign.pk, "count": count},
        )

    # -- definitions --

    def _quotas(self) -> None:
        """The plan's quotas the campaign does not have yet (its importer may have read some)."""
        have = set(self.campaign.quotas.values_list("activity", "subject"))
        rows = [
            Quota(
                campaign=self.campaign,
                activity=activity,
                comparator=Quota.Comparator.AT_LEAST,
                number=Decimal(number),
                subject=subject,
                period=Quota.Period.YEAR,
                text=text,
            )
            for activity, number, subject, text in QUOTAS
            if (activity, subject) not in have
        ]
        Quota.objects.bulk_create(rows)
        self._audit(Quota, len(rows))

    def _leader_table(self) -> dict[int, list[OrgUnit]]:
        """Attachment 2, matched by name: the leader and the units the plan names."""
        people = people_by_name(self.campaign)
        leaders = set(
            RoleAssignment.objects.filter(
                role=Role.BUREAU_LEADER, unit__path__startswith=self.root.path
            ).values_list("person_id", flat=True)
        )
        matcher = UnitMatcher(self.units)
        rows: list[ContactAssignment] = []
        leader_units: dict[int, list[OrgUnit]] = {}
        # The plan importer may have linked the table already: keep its rows, add the rest.
        for row in ContactAssignment.objects.filter(
            campaign=self.campaign,
            kind=ContactAssignment.Kind.LEADER_UNIT,
            target_unit__isnull=False,
        ).select_related("target_unit"):
            leader_units.setdefault(row.person_id, []).append(row.target_unit)
        for name, post, text in ATTACHMENT_2:
            found = [p for p in people.get(normalise(name), []) if p.pk in leaders]
            if len(found) != 1:
                continue
            names, _subtree = split_targets(text)
            for part in names:
                unit = matcher.find(part)
                if unit is None or unit in leader_units.get(found[0].pk, []):
                    continue
                leader_units.setdefault(found[0].pk, []).append(unit)
                rows.append(
                    ContactAssignment(
                        campaign=self.campaign,
                        kind=ContactAssignment.Kind.LEADER_UNIT,
                        person=found[0],
                        target_unit=unit,
                        target_text=text,
                        post=post,
                    )
                )
        ContactAssignment.objects.bulk_create(rows)
        self.leader_rows = len(rows)
        return leader_units

    def _pairs(self) -> dict[int, list[Place]]:
        """Each centre is paired with its own villages and enterprises; each hospital and
        district institution with two villages and an enterprise of the centres."""
        places = list(
            Place.objects.filter(
                unit__path__startswith=self.root.path,
                kind__in=(Place.Kind.VILLAGE, Place.Kind.COMMUNITY, Place.Kind.ENTERPRISE),
            ).order_by("code")
        )
        by_unit: dict[int, list[Place]] = {}
        for place in places:
            by_unit.setdefault(place.unit_id, []).append(place)
        areas = [p for p in places if p.kind != Place.Kind.ENTERPRISE]
        enterprises = [p for p in places if p.kind == Place.Kind.ENTERPRISE]
        pairs: dict[int, list[Place]] = {}
        turn = 0
        for unit in self.participants:
            own = by_unit.get(unit.pk, [])
            if own:
                pairs[unit.pk] = own
            elif areas:
                chosen = [areas[(turn + i) % len(areas)] for i in range(2)]
                if enterprises:
                    chosen.append(enterprises[turn % len(enterprises)])
                pairs[unit.pk] = list({p.pk: p for p in chosen}.values())
                turn += 2
        rows = [
            ContactAssignment(
                campaign=self.campaign,
                kind=ContactAssignment.Kind.UNIT_PLACE,
                unit_id=unit_id,
                target_place=place,
            )
            for unit_id, chosen in pairs.items()
            for place in chosen
        ]
        new = self._new(rows)
        ContactAssignment.objects.bulk_create(new)
        self.pair_rows = len(new)
        return pairs

    def _grid_cells(self) -> None:
        cells = Place.objects.filter(
            unit__path__startswith=self.root.path,
            kind=Place.Kind.GRID_CELL,
            responsible_doctor__isnull=False,
        )
        rows = [
            ContactAssignment(
                campaign=self.campaign,
                kind=ContactAssignment.Kind.DOCTOR_GRID,
                person_id=cell.responsible_doctor_id,
                target_place=cell,
            )
            for cell in cells
        ]
        new = self._new(rows)
        ContactAssignment.objects.bulk_create(new)
        self._audit(ContactAssignment, self.leader_rows + self.pair_rows + len(new))

    # -- visits --

    def _window(self) -> tuple[datetime.date, datetime.date] | None:
        start = self.campaign.starts_on or self.today - datetime.timedelta(days=150)
        end = min(self.campaign.ends_on or self.today, self.today)
        return (start, end) if start <= end else None

    def _day(self, window) -> datetime.date:
        start, end = window
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def _answers(self, template: ChecklistTemplate | None) -> dict:
        answers: dict = {}
        for item in template.items if template else []:
            if self.rng.random() < 0.7:
                answers[item["key"]] = (
                    True if item["kind"] == "check" else self.rng.choice(PROBLEMS)[:-1]
                )
        return answers

    def _visits(self, pairs: dict[int, list[Place]], leader_units) -> None:
        window = self._window()
        if window is None:
            self.counts["visit"] = 0
            return
        rng = self.rng
        households: dict[int, list[Place]] = {}
        for place in Place.objects.filter(
            kind=Place.Kind.HOUSEHOLD, parent__unit__path__startswith=self.root.path
        ):
            households.setdefault(place.parent_id, []).append(place)
        village_places = sorted(
            {
                p.pk: p for ps in pairs.values() for p in ps if p.kind != Place.Kind.ENTERPRISE
            }.values(),
            key=lambda p: p.code,
        )
        never = {
            p.pk for p in rng.sample(village_places, int(len(village_places) * NEVER_VISITED_SHARE))
        }
        visits: list[tuple[Visit, list[int], list[int]]] = []
        staff_by_unit: dict[int, list[Person]] = {}
        for person in Person.objects.filter(unit__path__startswith=self.root.path).select_related(
            "unit"
        ):
            for unit in self.participants:
                if person.unit.path.startswith(unit.path):
                    staff_by_unit.setdefault(unit.pk, []).append(person)
                    break
        spread = [n for n, weight in VISIT_SPREAD for _ in range(weight)]
        for unit in self.participants:
            villages = [p for p in pairs.get(unit.pk, []) if p.kind != Place.Kind.ENTERPRISE]
            villages = [p for p in villages if p.pk not in never]
            staff = staff_by_unit.get(unit.pk, [])
            if not villages or not staff:
                continue
            wanted = {p.pk: rng.choice(spread) for p in staff}
            for _attempt in range(len(staff) * 4):
                waiting = [p for p in staff if wanted[p.pk] > 0]
                if not waiting:
                    break
                group = rng.sample(waiting, min(len(waiting), rng.randint(1, 4)))
                village = rng.choice(villages)
                visited = [village.pk]
                homes = households.get(village.pk, [])
                if homes and rng.random() < 0.6:
                    visited += [h.pk for h in rng.sample(homes, min(len(homes), rng.randint(1, 2)))]
                template = self.templates.get(
                    "liugeyi" if rng.random() < 0.4 else "sanfang-sanwen-sancha"
                )
                visits.append(
                    (
                        self._visit(unit, window, "village", template, village.name),
                        [p.pk for p in group],
                        visited,
                    )
                )
                for person in group:
                    wanted[person.pk] -= 1
        # Bureau leaders: enterprises (some of them behind quota) and their units.
        enterprises = [p for ps in pairs.values() for p in ps if p.kind == Place.Kind.ENTERPRISE]
        leaders = Person.objects.filter(
            pk__in=RoleAssignment.objects.filter(role=Role.BUREAU_LEADER, unit=self.root).values(
                "person_id"
            )
        ).order_by("code")
        for n, leader in enumerate(leaders):
            for _i in range([0, 1, 2, 2, 3][n % 5] if enterprises else 0):
                place = rng.choice(enterprises)
                template = self.templates.get("sanfang-sanwen-sanfuwu")
                visits.append(
                    (
                        self._visit(self.root, window, "enterprise", template, place.name),
                        [leader.pk],
                        [place.pk],
                    )
                )
            for unit in leader_units.get(leader.pk, []):
                visit = self._visit(
                    self.root, window, "unit", self.templates.get("liugeyi"), unit.name
                )
                visit.target_unit = unit
                visits.append((visit, [leader.pk], []))
        for number, (visit, _people, _places) in enumerate(visits, start=1):
            visit.client_token = f"demo:{self.campaign.pk}:{number}"
        Visit.objects.bulk_create([v for v, _p, _q in visits])
        if not all(v.pk for v, _p, _q in visits):
            ids = dict(
                Visit.objects.filter(campaign=self.campaign).values_list("client_token", "id")
            )
            for visit, _p, _q in visits:
                visit.pk = ids[visit.client_token]
        Visit.visitors.through.objects.bulk_create(
            [
                Visit.visitors.through(visit_id=v.pk, person_id=pk)
                for v, people, _q in visits
                for pk in people
            ]
        )
        Visit.places.through.objects.bulk_create(
            [
                Visit.places.through(visit_id=v.pk, place_id=pk)
                for v, _p, places in visits
                for pk in places
            ]
        )
        self._audit(Visit, len(visits))

    def _visit(self, unit, window, kind, template, where: str) -> Visit:
        rng = self.rng
        return Visit(
            campaign=self.campaign,
            unit=unit,
            date=self._day(window),
            target_kind=kind,
            checklist=template,
            checklist_answers=self._answers(template),
            notes=rng.choice(NOTES).format(place=where),
            problems_found=rng.choice(PROBLEMS) if rng.random() < 0.25 else "",
            discipline_affirmed=True,
        )

    # -- study --

    def _study(self) -> None:
        window = self._window()
        if window is None:
            self.counts["studyrecord"] = 0
            return
        rng = self.rng
        roots = [u.path for u in self.participants]
        people = [
            p
            for p in Person.objects.filter(unit__path__startswith=self.root.path).select_related(
                "unit"
            )
            if any(p.unit.path.startswith(r) for r in roots)
        ]
        records = []
        for person in people:
            # Most reach 40 self-study hours; about one in five falls short.
            goal_self = rng.choice([44, 46, 48, 52, 40, 42, 30, 24, 16, 44])
            goal_group = rng.choice([10, 12, 12, 14, 8, 6, 10, 12])
            for kind, goal, topics in (
                (StudyRecord.Kind.SELF, goal_self, STUDY_TOPICS_SELF),
                (StudyRecord.Kind.COLLECTIVE, goal_group, STUDY_TOPICS_GROUP),
            ):
                done = 0
                while done < goal:
                    hours = min(goal - done, rng.choice([2, 3, 4]))
                    records.append(
                        StudyRecord(
                            person=person,
                            campaign=self.campaign,
                            date=self._day(window),
                            hours=Decimal(hours),
                            kind=kind,
                            topic=rng.choice(topics),
                        )
                    )
                    done += hours
        StudyRecord.objects.bulk_create(records, batch_size=1000)
        self._audit(StudyRecord, len(records))
