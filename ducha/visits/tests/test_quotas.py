import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.visits import quotas
from ducha.visits.models import Quota, StudyRecord

from .factories import make_campaign, make_visit

D = datetime.date


def _quota(campaign, **fields):
    values = {
        "activity": Quota.Activity.VISIT_VILLAGE,
        "comparator": Quota.Comparator.AT_LEAST,
        "number": Decimal(2),
        "subject": Quota.Subject.PERSON,
        "period": Quota.Period.YEAR,
        **fields,
    }
    return Quota.objects.create(campaign=campaign, **values)


def _values(result) -> dict[str, tuple]:
    return {row.name: (row.value, row.met) for row in result.rows}


@pytest.fixture
def zoe(tree):
    return make_member("zoe", tree.hospital2, Role.STAFF, name="佐伊")


def test_it_counts_each_persons_village_visits_and_rolls_them_up(
    tree, campaign, alice, sam, dora, zoe, village, enterprise
):
    quota = _quota(campaign)
    make_visit(campaign, tree.hospital, D(2024, 4, 2), [sam.person, dora.person], [village])
    make_visit(campaign, tree.hospital, D(2024, 5, 3), [sam.person], [village])
    # An enterprise visit is not a village visit.
    make_visit(campaign, tree.hospital, D(2024, 5, 4), [dora.person], [enterprise])

    result = quotas.quota_attainment(quota, user=alice, today=D(2024, 5, 15))
    assert _values(result) == {
        "山姆": (2, True),
        "多拉": (1, False),
        "佐伊": (0, False),
    }
    # Who is behind comes first, the furthest behind at the top.
    assert [r.name for r in result.behind] == ["佐伊", "多拉"]
    units = {u.name: (u.subjects, u.met, u.total) for u in result.units}
    assert units == {
        "东湖区卫生健康局": (3, 1, 3),
        "东湖区人民医院": (2, 1, 3),
        "东湖区中医院": (1, 0, 0),
    }
    assert result.percent == 33


def test_a_yearly_quota_over_december_and_january_is_judged_per_calendar_year(
    tree, alice, sam, village
):
    campaign = make_campaign(tree, starts_on=D(2023, 12, 1), ends_on=D(2024, 1, 31))
    quota = _quota(campaign)
    make_visit(campaign, tree.hospital, D(2023, 12, 5), [sam.person], [village])
    make_visit(campaign, tree.hospital, D(2023, 12, 31), [sam.person], [village])
    make_visit(campaign, tree.hospital, D(2024, 1, 1), [sam.person], [village])

    windows = quotas.quota_windows(quota, today=D(2024, 1, 20))
    assert [(w.label, w.start, w.end) for w in windows] == [
        ("2023", D(2023, 12, 1), D(2023, 12, 31)),
        ("2024", D(2024, 1, 1), D(2024, 1, 31)),
    ]
    december = quotas.quota_attainment(quota, user=alice, window_key="2023-12-01")
    january = quotas.quota_attainment(quota, user=alice, window_key="2024-01-01")
    assert _values(december)["山姆"] == (2, True)
    assert _values(january)["山姆"] == (1, False)
    # Without a choice, the window holding today is shown.
    now = quotas.quota_attainment(quota, user=alice, today=D(2024, 1, 20))
    assert now.window.label == "2024"


def test_monthly_windows_follow_the_calendar(tree, alice):
    campaign = make_campaign(tree, starts_on=D(2024, 1, 15), ends_on=D(2024, 3, 10))
    quota = _quota(campaign, period=Quota.Period.MONTH)
    assert [(w.label, w.start, w.end) for w in quotas.quota_windows(quota)] == [
        ("2024-01", D(2024, 1, 15), D(2024, 1, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2024-03", D(2024, 3, 1), D(2024, 3, 10)),
    ]


def test_bureau_leaders_are_counted_on_enterprise_visits(tree, campaign, alice, bob, enterprise):
    quota = _quota(campaign, activity=Quota.Activity.VISIT_ENTERPRISE, subject=Quota.Subject.LEADER)
    make_visit(campaign, tree.county, D(2024, 4, 9), [bob.person], [enterprise])
    result = quotas.quota_attainment(quota, user=alice, today=D(2024, 5, 15))
    # Alice is no bureau leader: only Bob is counted.
    assert _values(result) == {"鲍勃": (1, False)}
    assert [(u.name, u.subjects) for u in result.units] == [("东湖区卫生健康局", 1)]


def test_a_unit_quota_counts_the_units_visits(tree, campaign, alice, sam, village):
    quota = _quota(
        campaign, activity=Quota.Activity.VISIT_ANY, subject=Quota.Subject.UNIT, number=2
    )
    for day in (D(2024, 4, 1), D(2024, 4, 2)):
        make_visit(campaign, tree.hospital, day, [sam.person], [village])
    result = quotas.quota_attainment(quota, user=alice, today=D(2024, 5, 15))
    assert _values(result) == {"东湖区人民医院": (2, True), "东湖区中医院": (0, False)}


def test_study_hours_count_the_campaigns_and_general_records(tree, campaign, alice, sam, dora):
    quota = _quota(campaign, activity=Quota.Activity.STUDY_SELF, number=40)
    other = make_campaign(tree, title="另一个活动")
    for person, campaign_of, hours, kind in [
        (sam.person, campaign, "30", StudyRecord.Kind.SELF),
        (sam.person, None, "10", StudyRecord.Kind.SELF),
        (dora.person, campaign, "39.5", StudyRecord.Kind.SELF),
        (dora.person, campaign, "8", StudyRecord.Kind.COLLECTIVE),
        (dora.person, other, "8", StudyRecord.Kind.SELF),
    ]:
        StudyRecord.objects.create(
            person=person,
            campaign=campaign_of,
            date=D(2024, 4, 1),
            hours=Decimal(hours),
            kind=kind,
            topic="医改政策",
        )
    result = quotas.quota_attainment(quota, user=alice, today=D(2024, 5, 15))
    assert _values(result) == {"山姆": (Decimal(40), True), "多拉": (Decimal("39.5"), False)}


def test_an_at_most_quota_is_met_below_its_number(tree, campaign, alice, sam, village):
    quota = _quota(campaign, activity=Quota.Activity.VISIT_ANY, comparator="<=", number=1)
    make_visit(campaign, tree.hospital, D(2024, 4, 1), [sam.person], [village])
    make_visit(campaign, tree.hospital, D(2024, 4, 2), [sam.person], [village])
    result = quotas.quota_attainment(quota, user=alice, today=D(2024, 5, 15))
    assert _values(result)["山姆"] == (2, False)


def test_each_viewer_sees_only_their_subtree(tree, campaign, alice, sam, dora, zoe, carol):
    quota = _quota(campaign)
    assert set(_values(quotas.quota_attainment(quota, user=dora))) == {"山姆", "多拉"}
    assert set(_values(quotas.quota_attainment(quota, user=alice))) == {"山姆", "多拉", "佐伊"}
    assert quotas.quota_attainment(quota, user=carol).rows == []


def _queries(quota, user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        quotas.quota_attainment(quota, user=user, today=D(2024, 5, 15))
    return len(ctx.captured_queries)


def test_it_costs_the_same_queries_for_three_or_thirty_people(tree, campaign, alice, sam, village):
    quota = _quota(campaign)
    make_visit(campaign, tree.hospital, D(2024, 4, 1), [sam.person], [village])
    _queries(quota, alice)  # the user's roles are read once per request, then cached
    few = _queries(quota, alice)
    for n in range(30):
        person = make_member(f"p{n}", tree.hospital2, Role.STAFF, name=f"职工{n}")
        make_visit(campaign, tree.hospital2, D(2024, 4, 1), [person], [village])
    assert _queries(quota, alice) == few
