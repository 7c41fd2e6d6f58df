"""Rectification: task book, progress with evidence, the claim, verification and closing by the
level above (销号) or sending back; the refusals of the issue."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.problems import services
from ducha.problems.models import Event, Evidence, Milestone, Problem

from .factories import assigned, claimed, evidence, person_of, photo, rectifying, upload

pytestmark = pytest.mark.usefixtures("tree")
TODAY = "2026-06-01 10:00:00"


@pytest.fixture(autouse=True)
def _clock():
    with freeze_time(TODAY):
        yield


def test_dora_sets_the_rectification_of_an_assigned_problem(tree, sam, dora, category):
    problem = assigned(sam, dora, tree.hospital, category)
    head = make_member("hank", tree.hospital, Role.UNIT_HEAD, name="韩院长")
    rectification = services.rectification_set(
        actor=dora,
        problem=problem,
        measures="安排专人值守",
        target="有人值守",
        deadline=datetime.date(2026, 9, 30),
        responsible_person=person_of(dora),
        responsible_leader=head,
        is_long_term=True,
        plan="分三步完成",
        milestones=[("制定排班表", datetime.date(2026, 6, 15))],
    )
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RECTIFYING
    assert rectification.first_deadline == rectification.deadline == datetime.date(2026, 9, 30)
    assert rectification.warn_from == datetime.date(2026, 9, 23)
    assert Milestone.objects.get(rectification=rectification).title == "制定排班表"
    assert AuditEntry.objects.filter(object_type="problems.rectification").count() == 1


def test_dora_cannot_name_someone_she_cannot_see(tree, sam, dora, bob, category):
    problem = assigned(sam, dora, tree.hospital, category)
    with pytest.raises(ValidationError) as error:
        services.rectification_set(
            actor=dora,
            problem=problem,
            measures="m",
            target="t",
            deadline=datetime.date(2026, 9, 30),
            responsible_person=person_of(bob),
        )
    assert "responsible_person" in error.value.message_dict


def test_it_refuses_a_deadline_in_the_past(tree, sam, dora, category):
    problem = assigned(sam, dora, tree.hospital, category)
    with pytest.raises(ValidationError) as error:
        services.rectification_set(
            actor=dora,
            problem=problem,
            measures="m",
            target="t",
            deadline=datetime.date(2026, 5, 31),
            responsible_person=person_of(dora),
        )
    assert "deadline" in error.value.message_dict
    problem.refresh_from_db()
    assert problem.status == Problem.Status.ASSIGNED


def test_a_long_term_item_needs_its_plan(tree, sam, dora, category):
    problem = assigned(sam, dora, tree.hospital, category)
    with pytest.raises(ValidationError) as error:
        services.rectification_set(
            actor=dora,
            problem=problem,
            measures="m",
            target="t",
            deadline=datetime.date(2026, 12, 31),
            responsible_person=person_of(dora),
            is_long_term=True,
        )
    assert "plan" in error.value.message_dict


def test_progress_keeps_its_evidence_files(tree, sam, dora, category):
    problem = rectifying(sam, dora, tree.hospital, category)
    event = services.rectification_progress(
        actor=dora, problem=problem, note="已制定排班表", files=[evidence()], public=True
    )
    stored = Evidence.objects.get(event=event)
    assert stored.original_name == "整改报告.docx"
    assert stored.kind == Evidence.Kind.FILE
    assert stored.file.storage.exists(stored.file.name)


def test_progress_refuses_a_file_that_is_no_document(tree, sam, dora, category):
    problem = rectifying(sam, dora, tree.hospital, category)
    with pytest.raises(ValidationError) as error:
        services.rectification_progress(
            actor=dora, problem=problem, note="x", files=[upload(b"MZ\x90\x00" * 40, "a.pdf")]
        )
    assert "files" in error.value.message_dict
    assert not Event.objects.filter(kind=Event.Kind.PROGRESS).exists()


def test_alice_verifies_and_closes_the_claimed_rectification(
    tree, sam, dora, alice, category, django_capture_on_commit_callbacks
):
    problem = claimed(sam, dora, tree.hospital, category)
    with django_capture_on_commit_callbacks(execute=True):
        services.rectification_close(actor=alice, problem=problem, note="经查属实，同意销号")

    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED
    assert problem.rectification.closed_by == alice
    assert problem.rectification.closed_at is not None
    kinds = list(problem.events.values_list("kind", flat=True))
    assert kinds[-2:] == [Event.Kind.CLAIMED, Event.Kind.CLOSED]
    entry = AuditEntry.objects.filter(action="close").get()
    assert entry.after["status"] == "closed" and entry.before["status"] == "claimed"
    assert dora.notifications.filter(title__contains=problem.title).exists()
    assert sam.notifications.filter(key__startswith="problems:closed:").exists()


def test_it_refuses_closing_without_evidence(tree, sam, dora, alice, category):
    problem = claimed(sam, dora, tree.hospital, category, files=[])
    with pytest.raises(ValidationError) as error:
        services.rectification_close(actor=alice, problem=problem, note="同意")
    assert "files" in error.value.message_dict
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLAIMED
    # Evidence given at closing is enough.
    services.rectification_close(actor=alice, problem=problem, files=[evidence()])
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED


def test_a_place_or_thing_closes_only_with_a_before_and_an_after_photo(
    tree, sam, dora, alice, category
):
    problem = claimed(sam, dora, tree.hospital, category, is_physical=True)
    with pytest.raises(ValidationError) as error:
        services.rectification_close(actor=alice, problem=problem, before_photo=photo())
    assert set(error.value.message_dict) == {"after_photo"}
    with pytest.raises(ValidationError) as error:
        services.rectification_close(
            actor=alice, problem=problem, before_photo=photo(), after_photo=evidence("after.docx")
        )
    assert "after_photo" in error.value.message_dict
    assert not Evidence.objects.filter(kind=Evidence.Kind.BEFORE).exists()

    services.rectification_close(
        actor=alice, problem=problem, before_photo=photo(), after_photo=photo("after.png")
    )
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED
    assert set(problem.evidence.values_list("kind", flat=True)) == {"file", "before", "after"}


def test_it_refuses_verifying_ones_own_units_rectification(tree, alice, category):
    # A problem of the county bureau itself: Alice runs it, so the city verifies it.
    problem = claimed(alice, alice, tree.county, category)
    with pytest.raises(PermissionDenied):
        services.rectification_close(actor=alice, problem=problem, files=[evidence()])
    cathy = make_member("cathy", tree.city, Role.CAMPAIGN_OFFICE).user
    services.rectification_close(actor=cathy, problem=problem, files=[evidence()])
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED


@pytest.mark.parametrize("who", ["dora", "sam", "carol"])
def test_the_unit_itself_and_strangers_cannot_close(tree, sam, dora, category, who, request):
    problem = claimed(sam, dora, tree.hospital, category)
    with pytest.raises(PermissionDenied):
        services.rectification_close(
            actor=request.getfixturevalue(who), problem=problem, files=[evidence()]
        )
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLAIMED


def test_bob_the_bureau_leader_sends_it_back(tree, sam, dora, bob, category):
    problem = claimed(sam, dora, tree.hospital, category)
    with pytest.raises(ValidationError):
        services.rectification_send_back(actor=bob, problem=problem, reason="")
    services.rectification_send_back(actor=bob, problem=problem, reason="夜间仍无人值守")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RECTIFYING
    assert problem.rectification.claimed_at is None
    assert problem.events.last().note == "夜间仍无人值守"
    # Closing needs a claim again.
    with pytest.raises(ValidationError):
        services.rectification_close(actor=bob, problem=problem, files=[evidence()])


def test_the_reporters_photo_is_the_before_photo_but_no_closing_evidence(
    tree, sam, dora, alice, category
):
    problem = rectifying(sam, dora, tree.hospital, category, is_physical=True, before_photo=photo())
    services.problem_attach(actor=sam, problem=problem, files=[evidence("现场记录.docx")])
    services.rectification_claim(actor=dora, problem=problem, note="已修好")
    problem.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.rectification_close(actor=alice, problem=problem)
    assert set(error.value.message_dict) == {"files", "after_photo"}
    services.rectification_close(actor=alice, problem=problem, after_photo=photo("after.png"))
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED


def test_carol_cannot_attach_to_the_hospitals_problem(tree, sam, dora, carol, category):
    problem = rectifying(sam, dora, tree.hospital, category)
    with pytest.raises(PermissionDenied):
        services.problem_attach(actor=carol, problem=problem, files=[evidence()])
    with pytest.raises(ValidationError):
        services.problem_attach(actor=sam, problem=problem)
