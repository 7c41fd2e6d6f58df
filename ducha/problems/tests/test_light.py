"""Three-colour supervision (三色督办): green on track, yellow within the set days of the
deadline, red overdue; the list filters by colour in SQL as the row decides it."""

import datetime

import pytest
from freezegun import freeze_time

from ducha.problems import selectors, services

from .factories import claimed, rectifying

JUNE_30 = datetime.date(2026, 6, 30)


@pytest.fixture
def items(tree, sam, dora, category):
    """Three open rectifications due 30 June, 10 July and 31 July (yellow from 7 days before)."""
    with freeze_time("2026-06-01"):
        return [
            rectifying(sam, dora, tree.hospital, category, deadline=day, title=name)
            for name, day in (
                ("六月底", JUNE_30),
                ("七月十日", datetime.date(2026, 7, 10)),
                ("七月底", datetime.date(2026, 7, 31)),
            )
        ]


def lights(user, day):
    return {
        light: sorted(p.title for p in selectors.problem_list(user, light=light, day=day))
        for light in ("green", "yellow", "red")
    }


@pytest.mark.parametrize(
    ("day", "colour"),
    [
        (datetime.date(2026, 6, 22), "green"),
        (datetime.date(2026, 6, 23), "yellow"),
        (JUNE_30, "yellow"),
        (datetime.date(2026, 7, 1), "red"),
    ],
)
def test_the_colour_follows_the_deadline(items, day, colour):
    assert items[0].rectification.light(day) == colour
    assert items[0].rectification.is_overdue(day) == (colour == "red")


def test_the_list_filters_by_colour_as_the_rows_decide(items, alice):
    day = datetime.date(2026, 7, 5)
    assert lights(alice, day) == {"green": ["七月底"], "yellow": ["七月十日"], "red": ["六月底"]}
    for problem in items:
        colour = problem.rectification.light(day)
        assert problem.title in lights(alice, day)[colour]


def test_a_claim_in_time_stays_green_while_it_waits_for_verification(tree, sam, dora, category):
    with freeze_time("2026-06-01"):
        problem = claimed(sam, dora, tree.hospital, category, deadline=JUNE_30)
    later = datetime.date(2026, 8, 1)
    assert problem.rectification.light(later) == "green"
    assert [p.pk for p in selectors.problem_list(dora, light="green", day=later)] == [problem.pk]
    assert not selectors.problem_list(dora, light="red", day=later).exists()


def test_a_granted_extension_turns_red_back_to_green(items, dora, alice):
    with freeze_time("2026-06-25"):
        extension = services.extension_request(
            actor=dora,
            problem=items[0],
            new_deadline=datetime.date(2026, 9, 30),
            reason="需招标",
        )
        services.extension_decide(actor=alice, extension=extension, grant=True)
    day = datetime.date(2026, 7, 5)
    assert "六月底" in lights(alice, day)["green"]
