"""The public side: the opinion box and the rating of a closed, disclosed rectification."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.problems import antiabuse, services
from ducha.problems.models import Opinion, Problem, Rating

from .factories import claimed, evidence, rectifying, report


def test_an_opinion_loses_its_script_and_html(tree):
    opinion = services.opinion_submit(
        unit=tree.hospital,
        text='<script>alert("x")</script><b>挂号</b>窗口<img src=x onerror=alert(1)>太慢&lt;i&gt;了',
        contact="<a href='http://x'>138</a>",
        client="c1",
    )
    opinion.refresh_from_db()
    assert opinion.text == "挂号窗口太慢了"
    assert opinion.contact == "138"
    entry = AuditEntry.objects.get(object_type="problems.opinion")
    assert entry.actor_id is None and "contact" not in entry.after


def test_an_opinion_of_nothing_but_tags_is_refused(tree):
    with pytest.raises(ValidationError) as error:
        services.opinion_submit(unit=tree.hospital, text="<script>x</script>  ", client="c1")
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.opinion_submit(unit=tree.hospital, text="长" * 2001, client="c1")
    assert not Opinion.objects.exists()


def test_an_opinion_becomes_a_problem_and_its_answer_is_published(tree, dora, category):
    opinion = services.opinion_submit(unit=tree.hospital, text="厕所没有扶手", client="c1")
    problem = services.opinion_to_problem(
        actor=dora, opinion=opinion, category=category, title="厕所无扶手"
    )
    opinion.refresh_from_db()
    assert problem.source == Problem.Source.OPINION
    assert problem.description == "厕所没有扶手"
    assert (opinion.status, opinion.problem) == (Opinion.Status.PROBLEM, problem)
    assert opinion.answer
    with pytest.raises(ValidationError):
        services.opinion_to_problem(actor=dora, opinion=opinion, category=category, title="x")


def test_an_opinion_is_answered_by_its_unit_only(tree, dora, carol):
    opinion = services.opinion_submit(unit=tree.hospital, text="服务很好", client="c1")
    with pytest.raises(PermissionDenied):
        services.opinion_answer(actor=carol, opinion=opinion, answer="谢谢")
    services.opinion_answer(actor=dora, opinion=opinion, answer="感谢您的肯定")
    opinion.refresh_from_db()
    assert (opinion.status, opinion.answer) == (Opinion.Status.ANSWERED, "感谢您的肯定")


@freeze_time("2026-06-01")
def test_it_refuses_a_public_rating_of_an_open_problem(tree, sam, dora, category):
    problem = rectifying(sam, dora, tree.hospital, category)
    services.problem_disclose(actor=dora, problem=problem, public_title="导诊台无人值守")
    with pytest.raises(ValidationError) as error:
        services.rating_submit(problem=problem, score=4, comment="", client="c1")
    assert error.value.code == "not_closed"
    assert not Rating.objects.exists()


@freeze_time("2026-06-01")
def test_the_public_rates_a_closed_disclosed_rectification_once(tree, sam, dora, alice, category):
    problem = claimed(sam, dora, tree.hospital, category)
    services.rectification_close(actor=alice, problem=problem, files=[evidence()])
    with pytest.raises(ValidationError) as error:
        services.rating_submit(problem=problem, score=4, client="c1")
    assert error.value.code == "not_public"
    services.problem_disclose(actor=dora, problem=problem, public_title="导诊台无人值守")

    rating = services.rating_submit(problem=problem, score=4, comment="<b>好</b>多了", client="c1")
    assert (rating.score, rating.comment) == (4, "好多了")
    with pytest.raises(ValidationError):
        services.rating_submit(problem=problem, score=5, client="c1")
    with pytest.raises(ValidationError):
        services.rating_submit(problem=problem, score=6, client="c2")
    assert Rating.objects.count() == 1


def test_disclosure_needs_the_public_wording_and_can_be_withdrawn(tree, sam, dora, category):
    problem = report(sam, tree.hospital, category)
    with pytest.raises(ValidationError):
        services.problem_disclose(actor=dora, problem=problem, public_title="")
    with pytest.raises(PermissionDenied):
        services.problem_disclose(actor=sam, problem=problem, public_title="x")
    services.problem_disclose(actor=dora, problem=problem, public_title="导诊台无人值守")
    services.problem_withdraw(actor=dora, problem=problem, reason="涉及个人隐私")
    problem.refresh_from_db()
    assert not problem.disclosed
    assert list(problem.events.values_list("kind", flat=True))[-2:] == ["disclosed", "withdrawn"]


def test_clean_text_keeps_plain_text(db):
    assert antiabuse.clean_text("a\r\n\r\n\r\n\r\nb  ", max_length=10) == "a\n\nb"
    with pytest.raises(ValueError):
        antiabuse.clean_text("x" * 11, max_length=10)
