"""Creating, changing and deleting required submissions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.campaigns.models import Campaign
from ducha.submissions import services
from ducha.submissions.models import Requirement

from .factories import RequirementFactory, make_campaign, submit

D = datetime.date


def create(actor, campaign, **fields):
    values = {
        "kind": Requirement.Kind.UNIT_PLAN,
        "title": "单位实施方案",
        "due_date": D(2012, 5, 20),
        "receiver": "领导小组办公室",
        **fields,
    }
    return services.requirement_create(actor=actor, campaign=campaign, **values)


def test_it_creates_a_requirement_with_its_units(alice, campaign, tree):
    requirement = create(alice, campaign, units=[tree.hospital])

    requirement.refresh_from_db()
    assert requirement.title == "单位实施方案"
    assert list(requirement.units.all()) == [tree.hospital]
    entry = AuditEntry.objects.get(action="create", object_type="submissions.requirement")
    assert entry.actor_id == alice.pk
    assert entry.unit_path == tree.county.path
    assert entry.after["units"] == [tree.hospital.pk]


def test_it_refuses_those_who_do_not_run_the_campaign(alice, bob, dora, carol, campaign):
    for actor in (bob, dora, carol):
        with pytest.raises(PermissionDenied):
            create(actor, campaign)
    assert not Requirement.objects.exists()
    create(alice, campaign)
    assert Requirement.objects.count() == 1


def test_it_refuses_units_outside_the_campaign(alice, campaign, tree, english):
    with pytest.raises(ValidationError) as error:
        create(alice, campaign, units=[tree.hospital, tree.other_hospital])

    assert error.value.message_dict == {
        "units": ["These units do not take part in the campaign: 西山县人民医院."]
    }
    assert not Requirement.objects.exists()


def test_a_recurring_requirement_needs_a_last_date(alice, tree, english):
    open_ended = make_campaign(tree.county, [tree.hospital], ends_on=None)
    with pytest.raises(ValidationError) as error:
        create(alice, open_ended, recurrence=Requirement.Recurrence.WEEKLY)
    assert "repeat_until" in error.value.message_dict

    weekly = create(
        alice, open_ended, recurrence=Requirement.Recurrence.WEEKLY, repeat_until=D(2012, 7, 1)
    )
    assert weekly.repeat_until == D(2012, 7, 1)


def test_a_child_deadline_may_not_be_later_than_the_parents(alice, tree, english):
    parent_campaign = make_campaign(tree.city, [tree.county])
    parent = RequirementFactory(campaign=parent_campaign, due_date=D(2012, 6, 18))
    child_campaign = make_campaign(tree.county, [tree.hospital], parent=parent_campaign)

    with pytest.raises(ValidationError) as error:
        create(alice, child_campaign, parent=parent, due_date=D(2012, 6, 19))
    assert error.value.message_dict == {
        "due_date": ["The due date may not be later than the parent requirement's, 2012-06-18."]
    }

    child = create(alice, child_campaign, parent=parent, due_date=D(2012, 6, 18))
    with pytest.raises(ValidationError) as error:
        services.requirement_update(actor=alice, requirement=child, due_date=D(2012, 7, 1))
    assert "2012-06-18" in error.value.message_dict["due_date"][0]
    child.refresh_from_db()
    assert child.due_date == D(2012, 6, 18)

    tightened = services.requirement_update(actor=alice, requirement=child, due_date=D(2012, 6, 10))
    assert tightened.due_date == D(2012, 6, 10)


def test_the_parent_must_belong_to_the_adopted_campaign(alice, tree, campaign, english):
    stranger = RequirementFactory(campaign=make_campaign(tree.city, [tree.county]))
    with pytest.raises(ValidationError) as error:
        create(alice, campaign, parent=stranger, due_date=D(2012, 1, 1))
    assert list(error.value.message_dict) == ["parent"]


def test_it_updates_and_records_before_and_after(alice, requirement, tree):
    services.requirement_update(
        actor=alice, requirement=requirement, title="年度总结报告", units=[tree.hospital2]
    )

    requirement.refresh_from_db()
    assert requirement.title == "年度总结报告"
    assert list(requirement.units.all()) == [tree.hospital2]
    entry = AuditEntry.objects.get(action="update", object_type="submissions.requirement")
    assert entry.before == {"title": "总结报告", "units": []}
    assert entry.after == {"title": "年度总结报告", "units": [tree.hospital2.pk]}


def test_it_deletes_only_a_requirement_without_submissions(alice, dora, requirement, tree):
    other = RequirementFactory(campaign=requirement.campaign)
    other_pk = other.pk
    services.requirement_delete(actor=alice, requirement=other)
    assert not Requirement.objects.filter(pk=other_pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(other_pk)).exists()

    submit(dora, requirement, tree.hospital)
    with pytest.raises(ValidationError):
        services.requirement_delete(actor=alice, requirement=requirement)
    assert Requirement.objects.filter(pk=requirement.pk).exists()


def test_a_closed_campaign_keeps_its_requirements(alice, requirement, english):
    Campaign.objects.filter(pk=requirement.campaign_id).update(status=Campaign.Status.CLOSED)
    requirement.campaign.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        services.requirement_update(actor=alice, requirement=requirement, title="改")
    assert error.value.messages == ["The campaign is closed."]
