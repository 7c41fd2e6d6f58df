"""Commitments (承诺): public commitments on listed problems, pledges, service commitments;
verified as kept or broken by the level above."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Person, Role
from ducha.orgs.tests.factories import make_member
from ducha.problems import selectors, services
from ducha.problems.models import Commitment

from .factories import report

pytestmark = pytest.mark.usefixtures("_clock")
DUE = datetime.date(2026, 9, 30)


@pytest.fixture
def _clock():
    with freeze_time("2026-06-01"):
        yield


@pytest.fixture
def head(tree):
    return make_member("hank", tree.hospital, Role.UNIT_HEAD, name="韩院长")


@pytest.fixture
def problem(tree, sam, category):
    return report(sam, tree.hospital, category)


def public(actor, tree, head, listed, **fields):
    values = {
        "kind": Commitment.Kind.PUBLIC,
        "unit": tree.hospital,
        "person": head,
        "problem": listed,
        "text": "三个月内解决导诊台无人值守问题",
        "target": "导诊台工作时间有人值守",
        "responsibility": "院办负责排班，院长督办",
        "due_date": DUE,
        **fields,
    }
    return services.commitment_create(actor=actor, **values)


def test_a_unit_head_commits_publicly_on_a_listed_problem(tree, dora, head, problem):
    commitment = public(dora, tree, head, problem)
    commitment.refresh_from_db()
    assert commitment.kind == "public" and commitment.person == head
    assert commitment.status == Commitment.Status.OPEN
    assert selectors.commitments_of_person(head) == [commitment]
    assert selectors.commitments_of_unit(tree.hospital) == [commitment]
    assert AuditEntry.objects.filter(object_type="problems.commitment", action="create").exists()


@pytest.mark.parametrize("missing", ["problem", "target", "due_date", "responsibility", "person"])
def test_a_public_commitment_has_target_deadline_and_responsibility(
    tree, dora, head, problem, missing
):
    with pytest.raises(ValidationError) as error:
        public(dora, tree, head, problem, **{missing: None if missing != "target" else ""})
    assert missing in error.value.message_dict


def test_a_due_date_in_the_past_is_refused(tree, dora, head, problem):
    with pytest.raises(ValidationError) as error:
        public(dora, tree, head, problem, due_date=datetime.date(2026, 5, 1))
    assert "due_date" in error.value.message_dict


def test_a_party_member_makes_a_one_sentence_pledge_of_their_own(tree, sam):
    member = Person.objects.get(user=sam)
    with pytest.raises(ValidationError):
        services.commitment_create(
            actor=sam, kind="pledge", unit=tree.hospital, person=member, text="微笑服务每一位患者"
        )
    member.is_party_member = True
    member.save()
    with pytest.raises(ValidationError):
        services.commitment_create(
            actor=sam, kind="pledge", unit=tree.hospital, person=member, text="长" * 101
        )
    pledge = services.commitment_create(
        actor=sam, kind="pledge", unit=tree.hospital, person=member, text="微笑服务每一位患者"
    )
    assert pledge.created_by == sam


def test_sam_cannot_pledge_for_someone_else_nor_carol_for_the_hospital(tree, sam, dora, carol):
    other = Person.objects.get(user=dora)
    other.is_party_member = True
    other.save()
    for actor in (sam, carol):
        with pytest.raises(PermissionDenied):
            services.commitment_create(
                actor=actor, kind="pledge", unit=tree.hospital, person=other, text="好好工作"
            )


def test_the_level_above_verifies_kept_or_broken(tree, dora, alice, head, problem):
    commitment = public(dora, tree, head, problem)
    with pytest.raises(PermissionDenied):
        services.commitment_verify(actor=dora, commitment=commitment, kept=True)
    with pytest.raises(ValidationError):
        services.commitment_verify(actor=alice, commitment=commitment, kept=False)
    services.commitment_verify(actor=alice, commitment=commitment, kept=False, note="逾期未兑现")
    commitment.refresh_from_db()
    assert (commitment.status, commitment.verified_by) == (Commitment.Status.BROKEN, alice)
    with pytest.raises(ValidationError):
        services.commitment_verify(actor=alice, commitment=commitment, kept=True)


def test_a_service_commitment_belongs_to_the_unit(tree, dora):
    commitment = services.commitment_create(
        actor=dora, kind="service", unit=tree.hospital, text="门诊患者候诊不超过30分钟"
    )
    assert commitment.person is None and commitment.is_public
