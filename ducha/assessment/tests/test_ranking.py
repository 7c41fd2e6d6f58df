import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.assessment import services
from ducha.assessment.models import Indicator, ManualScore
from ducha.assessment.scoring import campaign_ranking
from ducha.audit.models import AuditEntry
from ducha.campaigns.models import Participant
from ducha.campaigns.tests.factories import make_county_campaign
from ducha.orgs.tests.factories import OrgUnitFactory
from ducha.problems import services as problem_services
from ducha.problems.models import Category, Problem

PERIOD = "2024-03"


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def hospital3(tree, campaign):
    unit = OrgUnitFactory(code="H04", name="东湖区妇幼保健院", parent=tree.county)
    Participant.objects.create(campaign=campaign, unit=unit)
    return unit


def indicator(alice, campaign, content, weight, **fields):
    return services.indicator_create(
        actor=alice, campaign=campaign, content=content, weight=Decimal(weight), **fields
    )


def score(alice, ind, unit, value):
    return services.manual_score_set(
        actor=alice,
        indicator=ind,
        unit=unit,
        period=PERIOD,
        value=Decimal(value),
        evidence="检查台账",
    )


def rows_by_unit(ranking):
    return {row.unit.pk: row for row in ranking.rows}


def test_it_refuses_weights_that_do_not_add_up(alice, campaign):
    indicator(alice, campaign, "制度建设", 60)
    indicator(alice, campaign, "服务态度", 30)
    with pytest.raises(ValidationError) as error:
        campaign_ranking(campaign=campaign, period=PERIOD, user=alice)
    assert "90" in error.value.messages[0] and "100" in error.value.messages[0]


def test_ties_share_a_rank_and_the_last_is_flagged(alice, tree, campaign, hospital3):
    a = indicator(alice, campaign, "制度建设", 60)
    b = indicator(alice, campaign, "服务态度", 40)
    for unit, (va, vb) in {
        tree.hospital: (90, 80),
        tree.hospital2: (80, 95),
        hospital3: (50, 50),
    }.items():
        score(alice, a, unit, va)
        score(alice, b, unit, vb)
    rows = rows_by_unit(campaign_ranking(campaign=campaign, period=PERIOD, user=alice))
    assert rows[tree.hospital.pk].score == Decimal("86.00")
    assert rows[tree.hospital2.pk].score == Decimal("86.00")
    assert [rows[u.pk].rank for u in (tree.hospital, tree.hospital2, hospital3)] == [1, 1, 3]
    assert [rows[u.pk].bottom for u in (tree.hospital, tree.hospital2, hospital3)] == [
        False,
        False,
        True,
    ]


def test_missing_data_is_shown_as_missing_and_weights_redistributed(alice, tree, campaign):
    a = indicator(alice, campaign, "制度建设", 60)
    indicator(alice, campaign, "服务态度", 40)
    score(alice, a, tree.hospital, 90)
    rows = rows_by_unit(campaign_ranking(campaign=campaign, period=PERIOD, user=alice))
    row = rows[tree.hospital.pk]
    assert row.score == Decimal("90.00")  # not 54: the missing item does not count as 0
    assert row.incomplete and row.missing == ["服务态度"]
    assert [c.text for c in row.cells] == ["90.00", "—"]
    assert rows[tree.hospital2.pk].score is None and rows[tree.hospital2.pk].rank is None


def test_a_missed_veto_item_fails_the_unit_whatever_its_score(alice, tree, campaign):
    a = indicator(alice, campaign, "服务态度", 90)
    safety = indicator(
        alice, campaign, "安全生产", 10, veto=True, comparator="gte", target_value=Decimal(60)
    )
    score(alice, a, tree.hospital, 100)
    score(alice, safety, tree.hospital, 40)
    score(alice, a, tree.hospital2, 70)
    score(alice, safety, tree.hospital2, 100)
    rows = rows_by_unit(campaign_ranking(campaign=campaign, period=PERIOD, user=alice))
    assert rows[tree.hospital.pk].score > rows[tree.hospital2.pk].score
    assert rows[tree.hospital.pk].failed
    assert (rows[tree.hospital2.pk].rank, rows[tree.hospital.pk].rank) == (1, 2)


def test_a_veto_item_needs_a_numeric_target(alice, campaign):
    with pytest.raises(ValidationError):
        indicator(alice, campaign, "安全生产", 10, veto=True)
    assert not Indicator.objects.exists()


def test_the_closure_rate_is_computed_from_the_problem_list(alice, tree, campaign):
    indicator(alice, campaign, "整改销号率", 100, computed_source="closure_rate")
    category = Category.objects.get(code="other")
    with freeze_time("2024-03-10 08:00:00"):
        problems = [
            problem_services.problem_report(
                actor=alice,
                unit=tree.hospital,
                category=category,
                title=f"问题{n}",
                source=Problem.Source.INSPECTION,
                campaign=campaign,
            )
            for n in range(4)
        ]
    Problem.objects.filter(pk=problems[0].pk).update(status=Problem.Status.CLOSED)
    ranking = campaign_ranking(campaign=campaign, period=PERIOD, user=alice)
    rows = rows_by_unit(ranking)
    assert rows[tree.hospital.pk].score == Decimal("25.00")
    assert rows[tree.hospital2.pk].score is None  # no problem: no rate, not 0%
    assert ranking.indicators[0].method == Indicator.Method.COMPUTED


def test_manual_scores_are_audited_and_replaced(alice, tree, campaign):
    a = indicator(alice, campaign, "制度建设", 100)
    score(alice, a, tree.hospital, 70)
    score(alice, a, tree.hospital, 75)
    assert ManualScore.objects.get().value == Decimal("75.00")
    assert AuditEntry.objects.filter(object_type__contains="manualscore").count() == 2


def test_it_refuses_scores_out_of_place(alice, dora, carol, tree, campaign):
    a = indicator(alice, campaign, "制度建设", 90)
    computed = indicator(alice, campaign, "及时率", 10, computed_source="timeliness")
    for actor in (dora, carol):
        with pytest.raises(PermissionDenied):
            score(actor, a, tree.hospital, 80)
    with pytest.raises(ValidationError):
        score(alice, a, tree.other_hospital, 80)
    with pytest.raises(ValidationError):
        score(alice, computed, tree.hospital, 80)
    with pytest.raises(ValidationError):
        services.manual_score_set(
            actor=alice,
            indicator=a,
            unit=tree.hospital,
            period="2024-13",
            value=Decimal(1),
            evidence="x",
        )
    assert not ManualScore.objects.exists()


def test_the_bottom_ranked_unit_is_followed_up(alice, dora, tree, campaign):
    from ducha.assessment.models import FollowUp

    a = indicator(alice, campaign, "制度建设", 100)
    score(alice, a, tree.hospital, 90)
    score(alice, a, tree.hospital2, 60)
    with pytest.raises(ValidationError):  # the first is not followed up
        services.follow_up_record(
            actor=alice,
            campaign=campaign,
            unit=tree.hospital,
            period=PERIOD,
            kind=FollowUp.Kind.ADMONITION_TALK,
            note="约谈",
        )
    with pytest.raises(PermissionDenied):
        services.follow_up_record(
            actor=dora,
            campaign=campaign,
            unit=tree.hospital2,
            period=PERIOD,
            kind=FollowUp.Kind.ADMONITION_TALK,
            note="约谈",
        )
    follow_up = services.follow_up_record(
        actor=alice,
        campaign=campaign,
        unit=tree.hospital2,
        period=PERIOD,
        kind=FollowUp.Kind.ADMONITION_TALK,
        note="局长约谈院长",
    )
    assert FollowUp.objects.get() == follow_up
    assert AuditEntry.objects.filter(object_id=str(follow_up.pk), action="create").exists()


def xlsx(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["单位", "得分", "依据"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_it_imports_a_table_of_scores(alice, tree, campaign):
    a = indicator(alice, campaign, "制度建设", 100)
    count = services.manual_scores_import(
        actor=alice,
        indicator=a,
        period=PERIOD,
        file=xlsx([["H01", 88, "台账齐全"], ["东湖区中医院", 75.5, None]]),
    )
    assert count == 2
    values = dict(ManualScore.objects.values_list("unit__code", "value"))
    assert values == {"H01": Decimal("88.00"), "H02": Decimal("75.50")}


def test_an_imported_table_with_unknown_units_is_refused_whole(alice, tree, campaign, english):
    a = indicator(alice, campaign, "制度建设", 100)
    with pytest.raises(ValidationError) as error:
        services.manual_scores_import(
            actor=alice,
            indicator=a,
            period=PERIOD,
            file=xlsx([["H01", 88, "x"], ["不存在医院", 70, "x"], ["H03", 60, "x"], ["H02", 101]]),
        )
    assert error.value.message_dict["file"] == [
        "Row 3: unknown unit “不存在医院”.",
        "Row 4: unknown unit “H03”.",  # another county's hospital is no unit of the campaign
        "Row 5: the score must be 0 to 100.",
    ]
    assert not ManualScore.objects.exists()
