"""The dashboard: found / on the spot / in progress / overdue / closed, rolled up the tree and
per category, with the oldest open problems, in a fixed number of queries."""

import datetime

import pytest
from freezegun import freeze_time

from ducha.problems import selectors, services
from ducha.problems.models import Category

from .factories import claimed, evidence, rectifying, report


@pytest.fixture
def problems(tree, sam, dora, alice, category):
    environment = Category.objects.get(code="environment")
    with freeze_time("2026-06-01"):
        report(sam, tree.department, environment, title="内科走廊杂物")
        spot = report(sam, tree.hospital, category, title="当场解决")
        services.problem_solve_on_spot(actor=sam, problem=spot, solution="已解决")
        rectifying(
            sam, dora, tree.hospital, category, title="将逾期", deadline=datetime.date(2026, 6, 10)
        )
        done = claimed(sam, dora, tree.hospital, category, title="已销号")
        services.rectification_close(actor=alice, problem=done, files=[evidence()])
        report(alice, tree.hospital2, category, title="中医院问题")
        bad = report(alice, tree.county, category, title="作废的")
        services.problem_invalidate(actor=alice, problem=bad, reason="重复")
    return environment


def test_it_rolls_up_each_unit_below_the_county(problems, tree, alice, django_assert_num_queries):
    with django_assert_num_queries(4):
        board = selectors.problem_dashboard(alice, root=tree.county, day=datetime.date(2026, 6, 20))
    rows = {row.label: row.counts for row in board.units}
    hospital = rows["东湖区人民医院"]  # with its department's problem
    assert (hospital.found, hospital.on_spot, hospital.in_progress, hospital.overdue) == (
        4,
        1,
        1,
        1,
    )
    assert hospital.closed == 1
    assert rows["东湖区中医院"].in_progress == 1
    own = next(row for row in board.units if row.own)
    assert (own.counts.found, own.counts.invalid) == (0, 1)
    assert (board.total.found, board.total.overdue, board.total.invalid) == (5, 1, 1)
    categories = {row.label: row.counts.found for row in board.categories}
    assert categories == {"服务态度": 4, "环境": 1}
    assert [p.title for p in board.oldest][0] == "内科走廊杂物"
    assert {p.title for p in board.oldest} == {"内科走廊杂物", "将逾期", "中医院问题"}


def test_dora_sees_her_hospital_only(problems, tree, dora, carol):
    board = selectors.problem_dashboard(dora, day=datetime.date(2026, 6, 20))
    assert [row.label for row in board.units] == ["东湖区人民医院"]
    assert board.total.found == 4
    assert selectors.problem_dashboard(carol).total.found == 0


def test_the_query_count_does_not_grow_with_the_units(
    problems, tree, alice, django_assert_num_queries
):
    from ducha.orgs.tests.factories import OrgUnitFactory

    for n in range(5):
        OrgUnitFactory(code=f"X{n}", parent=tree.county)
    with django_assert_num_queries(4):
        board = selectors.problem_dashboard(alice, root=tree.county)
    assert len(board.units) == 8
