"""The importer service: a plan's text becomes a draft campaign (campaign_from_import)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.audit.services import audit_verify
from ducha.campaigns.models import Campaign, LeadershipMember
from ducha.orgs import access
from ducha.orgs.models import Person, Role, RoleAssignment
from ducha.orgs.tests.factories import PersonFactory
from ducha.plans import importer, resolve
from ducha.submissions.models import Requirement
from ducha.visits.models import ContactAssignment, Quota

from .samples import MASKED_PLAN, seed_text

D = datetime.date


def draft_of(text, actor, **kwargs):
    return importer.import_draft(importer.plan_import_preview(text), actor=actor, **kwargs)


@pytest.fixture
def masked(alice, bob, tree):
    """Alice's draft of the masked plan, the year confirmed, the unit plan given a date."""
    draft = draft_of(MASKED_PLAN, alice, year=2024)
    data = draft.data
    unit_plan = next(d for d in data["deadlines"] if d["kind"] == Requirement.Kind.UNIT_PLAN)
    unit_plan["due"] = "01-15"
    return draft


def test_the_draft_holds_the_plans_values_with_people_and_units_matched(masked, alice, bob, tree):
    data = masked.data
    assert masked.unit == tree.county  # the issuer 东湖区卫生健康局 is Alice's county
    assert data["title"] == "东湖区卫生系统作风整顿活动实施方案"
    assert data["year_placeholder"] is True
    assert masked.people == ["艾丽", "鲍勃", "张三", "李四"]
    assert data["people"] == {
        "艾丽": alice.person,
        "鲍勃": bob.person,
        "张三": None,
        "李四": None,
    }
    assert [(r["role"], r["name"]) for r in data["leadership"]] == [
        ("leader", "艾丽"),
        ("deputy", "鲍勃"),
        ("deputy", "张三"),
        ("member", "李四"),
    ]
    # The leaders' posts come from the visiting table.
    assert data["leadership"][1]["post"] == "副局长"
    targets = [(r["person"], r["target_text"], r["target_unit"]) for r in data["assignments"]]
    assert targets == [
        ("鲍勃", "区中医院", tree.hospital2),
        ("张三", "区人民医院及其管辖卫生院", tree.hospital),
        ("张三", "西山县人民医院", None),  # another county: not a unit under the issuer
    ]
    assert [(q["activity"], q["subject"], q["period"]) for q in data["quotas"]] == [
        (Quota.Activity.VISIT_VILLAGE, Quota.Subject.PERSON, Quota.Period.YEAR),
        (Quota.Activity.STUDY_SELF, Quota.Subject.PERSON, Quota.Period.CAMPAIGN),
        (Quota.Activity.STUDY_COLLECTIVE, Quota.Subject.PERSON, Quota.Period.CAMPAIGN),
    ]
    assert [(d["what"], d["kind"]) for d in data["deadlines"]] == [
        ("活动开展情况的书面总结报告", Requirement.Kind.SUMMARY_REPORT),
        (importer.UNIT_PLAN_TITLE, Requirement.Kind.UNIT_PLAN),
    ]
    assert masked.suggested_unit_plan
    assert [t["title"] for t in data["key_tasks"]] == ["进村入户", "学习提高"]
    # The plan's own wording of the phase dates is kept.
    assert (data["phases"][0]["start_text"], data["phases"][0]["end_text"]) == (
        "20xx年12月20日",
        "31日",
    )


def test_it_creates_the_campaign_with_everything_in_one_go(masked, alice, bob, tree):
    data = masked.data
    data["people"]["张三"] = PersonFactory(name="张三", unit=tree.county)
    campaign = importer.campaign_from_import(
        actor=alice, unit=tree.county, data=data, text=masked.part.original
    )

    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.unit == tree.county
    assert campaign.doc_number == "东卫发〔2024〕12号"
    assert campaign.source_text == masked.part.original
    # 20xx is 2024 for the first dates; January comes round into 2025.
    phases = [(p.name, p.starts_on, p.ends_on, p.start_text) for p in campaign.phases.all()]
    assert phases == [
        ("动员部署", D(2024, 12, 20), D(2024, 12, 31), "20xx年12月20日"),
        ("查摆剖析", D(2025, 1, 1), D(2025, 2, 28), "1月上旬"),
        ("整改落实", D(2025, 3, 1), D(2025, 4, 30), "3月1日"),
    ]
    assert (campaign.starts_on, campaign.ends_on) == (D(2024, 12, 20), D(2025, 4, 30))
    assert [t.title for t in campaign.key_tasks.all()] == ["进村入户", "学习提高"]
    requirements = {r.kind: r for r in Requirement.objects.filter(campaign=campaign)}
    summary = requirements[Requirement.Kind.SUMMARY_REPORT]
    # 4月30日 would fall before the first phase in 2024: it is next year's.
    assert (summary.due_date, summary.due_text, summary.receiver) == (
        D(2025, 4, 30),
        "4月30日前",
        "区卫生局办公室",
    )
    assert requirements[Requirement.Kind.UNIT_PLAN].due_date == D(2025, 1, 15)
    members = [(m.role, m.name, m.person) for m in campaign.leadership.all()]
    assert members[:2] == [
        (LeadershipMember.Role.LEADER, "艾丽", alice.person),
        (LeadershipMember.Role.DEPUTY, "鲍勃", bob.person),
    ]
    assert members[3] == (LeadershipMember.Role.MEMBER, "李四", None)
    quotas = list(Quota.objects.filter(campaign=campaign).order_by("id"))
    assert [(q.activity, q.comparator, q.number, q.text) for q in quotas][0] == (
        Quota.Activity.VISIT_VILLAGE,
        ">=",
        2,
        "每年不少于2次",
    )
    assignments = ContactAssignment.objects.filter(campaign=campaign).order_by("id")
    assert [(a.kind, a.person.name, a.target_unit, a.target_text) for a in assignments] == [
        (ContactAssignment.Kind.LEADER_UNIT, "鲍勃", tree.hospital2, "区中医院"),
        (ContactAssignment.Kind.LEADER_UNIT, "张三", tree.hospital, "区人民医院及其管辖卫生院"),
        (ContactAssignment.Kind.LEADER_UNIT, "张三", None, "西山县人民医院"),
    ]
    # Each step wrote its audit entry, and the import one sums it up.
    entry = AuditEntry.objects.get(action="import", object_type="campaigns.campaign")
    assert entry.object_id == str(campaign.pk)
    assert entry.after["phases"] == 3 and entry.after["assignments"] == 3
    types = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {
        "campaigns.campaign",
        "campaigns.phase",
        "campaigns.keytask",
        "submissions.requirement",
        "visits.quota",
        "visits.contactassignment",
    } <= types
    assert audit_verify().ok


def test_a_masked_year_must_be_confirmed(alice, tree):
    draft = draft_of(MASKED_PLAN, alice)
    assert draft.data["year"] is None
    with pytest.raises(ValidationError) as error:
        importer.campaign_from_import(actor=alice, unit=tree.county, data=draft.data, text="")
    assert "year" in error.value.message_dict
    # The suggested unit plan has no date yet: said too, in the same answer.
    assert "deadlines" in error.value.message_dict
    assert not Campaign.objects.exists()


def test_months_without_a_year_fall_in_the_confirmed_year(alice, tree):
    resolved = resolve.resolve_dates(
        {
            "year": 2012,
            "phases": [
                {"name": "a", "start": "03", "start_part": "late", "end": "04", "end_part": "mid"},
                {"name": "b", "start": "05", "start_part": "", "end": "06", "end_part": "early"},
                {
                    "name": "c",
                    "start": "2012-07",
                    "start_part": "",
                    "end": "02",
                    "end_part": "late",
                },
            ],
            "deadlines": [{"what": "x", "due": "06-18"}],
        }
    )
    assert resolved.errors == {}
    assert resolved.phases == [
        (D(2012, 3, 21), D(2012, 4, 20)),
        (D(2012, 5, 1), D(2012, 6, 10)),
        (D(2012, 7, 1), D(2013, 2, 28)),  # the end comes round into the next year
    ]
    assert resolved.deadlines == [D(2012, 6, 18)]


def test_late_february_ends_on_the_leap_day():
    assert resolve.resolve_date("02", "late", 2024, end=True) == D(2024, 2, 29)
    assert resolve.resolve_date("02", "late", 2023, end=True) == D(2023, 2, 28)
    assert resolve.resolve_date("2012/6/18", None, None, end=True) == D(2012, 6, 18)
    with pytest.raises(resolve.MissingYear):
        resolve.resolve_date("06-18", None, None, end=True)


def test_a_phase_without_an_end_is_refused_with_its_name(alice, tree):
    data = {
        "title": "活动",
        "year": 2012,
        "phases": [{"name": "系统总结", "start": "07", "end": ""}],
    }
    with pytest.raises(ValidationError) as error:
        importer.campaign_from_import(actor=alice, unit=tree.county, data=data, text="")
    assert "系统总结" in error.value.message_dict["phases"][0]
    assert not Campaign.objects.exists()


def test_creating_people_needs_the_right_to_manage_people(masked, alice, tree):
    data = masked.data
    data["people"]["张三"] = importer.CREATE
    with pytest.raises(ValidationError) as error:
        importer.campaign_from_import(actor=alice, unit=tree.county, data=data, text="")
    assert "people" in error.value.message_dict
    assert not Campaign.objects.exists()
    assert not Person.objects.filter(name="张三").exists()

    # The same, once Alice also administers the county's people.
    RoleAssignment.objects.create(person=alice.person, unit=tree.county, role=Role.SYSTEM_ADMIN)
    access.forget_grants(alice)
    campaign = importer.campaign_from_import(actor=alice, unit=tree.county, data=data, text="")
    zhang = Person.objects.get(name="张三")
    assert zhang.unit == tree.county
    assert list(zhang.posts.values_list("title", flat=True)) == ["党委委员"]
    assert campaign.leadership.get(name="张三").person == zhang
    assert ContactAssignment.objects.filter(campaign=campaign, person=zhang).count() == 2


def test_an_unlinked_leader_keeps_his_place_but_visits_no_one(masked, alice, tree):
    data = masked.data
    assert importer.unlinked_assignments(data) == 2
    campaign = importer.campaign_from_import(actor=alice, unit=tree.county, data=data, text="")
    assert campaign.leadership.get(name="张三").person is None
    assert list(
        ContactAssignment.objects.filter(campaign=campaign).values_list("person__name", flat=True)
    ) == ["鲍勃"]


def test_a_person_or_unit_outside_the_scope_is_refused(masked, alice, carol, tree):
    data = masked.data
    data["people"]["李四"] = carol.person
    data["assignments"][0]["target_unit"] = tree.other_hospital
    with pytest.raises(ValidationError) as error:
        importer.campaign_from_import(actor=alice, unit=tree.county, data=data, text="")
    assert set(error.value.message_dict) >= {"people", "assignments"}
    assert not Campaign.objects.exists()


def test_carol_may_not_import_into_alices_county(masked, carol, tree):
    with pytest.raises(PermissionDenied):
        importer.campaign_from_import(actor=carol, unit=tree.county, data=masked.data, text="")
    assert not Campaign.objects.exists()


def test_a_refusal_half_way_leaves_nothing_behind(masked, alice, tree):
    data = masked.data
    data["deadlines"][0]["what"] = "报" * 300  # longer than a requirement's title may be
    with pytest.raises(ValidationError) as error:
        importer.campaign_from_import(actor=alice, unit=tree.county, data=data, text="")
    assert "deadlines" in error.value.message_dict
    assert not Campaign.objects.exists()
    assert not AuditEntry.objects.filter(object_type="campaigns.campaign").exists()


def test_a_visit_group_limit_sets_the_campaign_cap(alice, tree):
    data = {
        "title": "大走访活动",
        "quotas": [
            importer.guess_quota(
                {"text": "每组不超过3人", "number": 3, "comparator": "<=", "unit": "人"},
                "走访时每组不超过3人",
            )
        ],
    }
    assert data["quotas"][0]["activity"] == importer.GROUP_MAX
    campaign = importer.campaign_from_import(actor=alice, unit=tree.county, data=data, text="")
    assert Campaign.objects.get(pk=campaign.pk).visit_group_max == 3
    assert not Quota.objects.exists()


def test_the_seed_plan_reads_into_a_draft(alice, tree):
    draft = draft_of(seed_text(), alice)
    data = draft.data
    assert data["issue_date"] == D(2012, 4, 18)
    assert data["year"] == 2012
    assert data["doc_number"] == "黄卫发〔2012〕39号"
    assert data["phases"] == []
    assert [(d["kind"], d["due"], d["to"]) for d in data["deadlines"]] == [
        (Requirement.Kind.SUMMARY_REPORT, "2012-06-18", "区卫生局人事监察科"),
        (Requirement.Kind.UNIT_PLAN, "", ""),  # 各医疗卫生单位要…制订具体的活动方案
    ]
    assert len(data["key_tasks"]) == 7
    assert data["key_tasks"][0]["title"] == "进农村、访农家"
    # 黄洪 is a deputy and the office director: one name, two roles.
    assert draft.people.count("黄洪") == 1
    assert [r["role"] for r in data["leadership"] if r["name"] == "黄洪"] == [
        "deputy",
        "office_director",
    ]


@pytest.mark.parametrize(
    ("what", "kind"),
    [
        ("活动开展情况的书面总结报告", Requirement.Kind.SUMMARY_REPORT),
        ("阶段性总结", Requirement.Kind.STAGE_REPORT),
        ("整改方案", Requirement.Kind.RECTIFICATION_MEASURES),
        ("活动方案", Requirement.Kind.UNIT_PLAN),
        ("个人剖析材料", Requirement.Kind.SELF_ANALYSIS),
        ("走访报告", Requirement.Kind.VISIT_REPORT),
        ("专题报告", Requirement.Kind.SPECIAL_REPORT),
        ("工作简报", Requirement.Kind.BRIEF),
        ("一名联络人", Requirement.Kind.OTHER),
    ],
)
def test_the_kind_of_a_submission_comes_from_its_wording(what, kind):
    assert importer.guess_kind(what) == kind


def test_units_are_matched_by_name_short_name_or_their_characters(tree):
    from ducha.orgs.tests.factories import OrgUnitFactory

    cdc = OrgUnitFactory(name="东湖区疾病预防控制中心", short_name="区疾控", parent=tree.county)
    first = OrgUnitFactory(name="黄州市第一人民医院", short_name="黄一医", parent=tree.county)
    units = list(importer.units_below(tree.county))
    assert importer.match_unit("区中医院", units) == tree.hospital2
    assert importer.match_unit("黄一医", units) == first
    assert importer.match_unit("区疾病控制中心", units) == cdc
    assert importer.match_unit("区人民医院及其管辖卫生院", units) == tree.hospital
    # Several fit: none is chosen for the user.
    assert importer.match_unit("医院", units) is None
    assert importer.match_unit("西山县人民医院", units) is None
