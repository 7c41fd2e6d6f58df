import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ducha.audit.models import AuditEntry
from ducha.campaigns.models import Campaign
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.visits import services
from ducha.visits.models import Visit

from .factories import builtin


def _log(actor, campaign, unit, **fields):
    values = {
        "date": datetime.date(2024, 5, 10),
        "visitors": [actor.person],
        "places": [],
        "discipline_affirmed": True,
        "client_token": uuid.uuid4().hex,
        **fields,
    }
    return services.visit_log(actor=actor, campaign=campaign, unit=unit, **values)


def _messages(error: ValidationError, field: str) -> list[str]:
    return error.message_dict.get(field, [])


def test_it_logs_a_village_visit_with_the_prescribed_checklist(
    english, today, tree, campaign, sam, village, household
):
    visit = _log(
        sam,
        campaign,
        tree.hospital,
        places=[village, household],
        checklist_answers={
            "visit_poor": True,
            "ask_ideas": " 发展蜜橘产业 ",
            "visit_veteran": False,
        },
        notes="入户走访，了解就医情况。",
        problems_found="村卫生室缺药。",
    )
    visit = Visit.objects.get(pk=visit.pk)
    assert visit.unit == tree.hospital
    assert visit.target_kind == "village"
    assert visit.checklist == builtin("sanfang-sanwen-sancha")
    # Unticked items are left out; answers are trimmed.
    assert visit.checklist_answers == {"visit_poor": True, "ask_ideas": "发展蜜橘产业"}
    assert {p.pk for p in visit.places.all()} == {village.pk, household.pk}
    assert list(visit.visitors.all()) == [sam.person]
    assert visit.created_by == sam
    entry = AuditEntry.objects.get(action="create", object_type="visits.visit")
    assert entry.object_id == str(visit.pk)
    assert entry.after["places"] == sorted([village.pk, household.pk])
    assert entry.unit_path == tree.hospital.path


def test_it_picks_the_enterprise_checklist_for_an_enterprise(
    english, today, tree, campaign, sam, paired_enterprise
):
    visit = _log(sam, campaign, tree.hospital, places=[paired_enterprise])
    assert visit.target_kind == "enterprise"
    assert visit.checklist.code == "sanfang-sanwen-sanfuwu"


@pytest.mark.parametrize(("size", "ok"), [(5, True), (6, False)])
def test_it_caps_the_visit_group_at_the_plans_size(
    english, today, tree, campaign, sam, people, village, size, ok
):
    group = people[:size]
    if ok:
        visit = _log(sam, campaign, tree.hospital, visitors=group, places=[village])
        assert visit.visitors.count() == 5
        return
    with pytest.raises(ValidationError) as caught:
        _log(sam, campaign, tree.hospital, visitors=group, places=[village])
    assert _messages(caught.value, "visitors") == [
        "A visit group has at most 5 people under this campaign; this one has 6."
    ]
    assert not Visit.objects.exists()


def test_it_follows_the_campaigns_own_group_size(english, today, tree, sam, people, village):
    from .factories import make_campaign

    small = make_campaign(tree, visit_group_max=3)
    with pytest.raises(ValidationError) as caught:
        _log(sam, small, tree.hospital, visitors=people[:4], places=[village])
    assert "at most 3 people" in _messages(caught.value, "visitors")[0]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            datetime.date(2024, 5, 16),
            "A visit cannot be dated in the future (today is 2024-05-15).",
        ),
        (
            datetime.date(2024, 2, 28),
            "The campaign runs from 2024-03-01 to 2024-08-31; 2024-02-28 is outside it.",
        ),
    ],
)
def test_it_refuses_a_date_in_the_future_or_outside_the_campaign(
    english, today, tree, campaign, sam, village, day, message
):
    with pytest.raises(ValidationError) as caught:
        _log(sam, campaign, tree.hospital, date=day, places=[village])
    assert _messages(caught.value, "date") == [message]
    assert not Visit.objects.exists()


def test_it_refuses_a_place_outside_the_units_contact_places(
    english, today, tree, campaign, sam, village, other_village, enterprise
):
    # The other county's village, and an enterprise of the other hospital not paired with Sam's.
    for place in (other_village, enterprise):
        with pytest.raises(ValidationError) as caught:
            _log(sam, campaign, tree.hospital, places=[village, place])
        assert _messages(caught.value, "places") == [
            "1 of the places chosen is not among the places 东湖区人民医院 visits."
        ]
    assert not Visit.objects.exists()


def test_it_refuses_a_visitor_from_another_unit(english, today, tree, campaign, sam, village):
    stranger = make_member("zoe", tree.hospital2, Role.STAFF, name="佐伊")
    with pytest.raises(ValidationError) as caught:
        _log(sam, campaign, tree.hospital, visitors=[sam.person, stranger], places=[village])
    assert _messages(caught.value, "visitors") == ["佐伊 does not belong to 东湖区人民医院."]


def test_it_requires_the_discipline_declaration(english, today, tree, campaign, sam, village):
    with pytest.raises(ValidationError) as caught:
        _log(sam, campaign, tree.hospital, places=[village], discipline_affirmed=False)
    assert _messages(caught.value, "discipline_affirmed") == [
        "The visit group must affirm that it kept the campaign's discipline rules."
    ]
    campaign.discipline_rules = ""
    campaign.save()
    assert _log(sam, campaign, tree.hospital, places=[village], discipline_affirmed=False).pk


def test_it_records_a_form_sent_twice_once(english, today, tree, campaign, sam, village):
    token = uuid.uuid4().hex
    first = _log(sam, campaign, tree.hospital, places=[village], client_token=token)
    again = _log(sam, campaign, tree.hospital, places=[village], client_token=token)
    assert again.pk == first.pk
    assert Visit.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="visits.visit").count() == 1


def test_it_refuses_the_same_visit_entered_twice(english, today, tree, campaign, sam, village):
    _log(sam, campaign, tree.hospital, places=[village])
    with pytest.raises(ValidationError) as caught:
        _log(sam, campaign, tree.hospital, places=[village])
    assert caught.value.messages == ["This visit is already recorded: same day, group and places."]
    assert Visit.objects.count() == 1
    # Another day is another visit.
    assert _log(sam, campaign, tree.hospital, places=[village], date=datetime.date(2024, 5, 11))


def test_it_refuses_another_users_token(english, today, tree, campaign, sam, dora, village):
    token = uuid.uuid4().hex
    _log(sam, campaign, tree.hospital, places=[village], client_token=token)
    with pytest.raises(ValidationError):
        _log(dora, campaign, tree.hospital, places=[village], client_token=token)


def test_it_refuses_the_other_county_as_if_missing(today, tree, campaign, carol, other_village):
    with pytest.raises(Http404):
        _log(carol, campaign, tree.other_hospital, places=[other_village])
    # Carol's own hospital visiting into Alice's campaign: still the campaign she can't see.
    with pytest.raises(Http404):
        _log(carol, campaign, tree.hospital, places=[other_village])
    assert not Visit.objects.exists()


def test_it_refuses_logging_for_a_unit_seen_but_not_ones_own(
    today, tree, campaign, village, household
):
    inspector = make_member("ivan", tree.county, Role.INSPECTOR, name="伊万").user
    with pytest.raises(PermissionDenied):
        _log(inspector, campaign, tree.hospital, places=[village])


def test_it_refuses_visits_to_a_campaign_that_is_not_running(
    english, today, tree, campaign, sam, village
):
    campaign.status = Campaign.Status.CLOSED
    campaign.save()
    with pytest.raises(ValidationError) as caught:
        _log(sam, campaign, tree.hospital, places=[village])
    assert _messages(caught.value, "campaign") == [
        "The campaign is Closed; visits are logged only while it runs."
    ]


def test_it_refuses_unknown_checklist_items(english, today, tree, campaign, sam, village):
    with pytest.raises(ValidationError) as caught:
        _log(sam, campaign, tree.hospital, places=[village], checklist_answers={"made_up": True})
    assert _messages(caught.value, "checklist_answers") == [
        "“made_up” is not an item of this checklist."
    ]


def test_a_bureau_leader_visits_a_unit(english, today, tree, campaign, bob):
    visit = _log(bob, campaign, tree.county, target_unit=tree.hospital)
    assert visit.target_kind == "unit"
    assert visit.checklist.code == "liugeyi"


def test_a_leader_of_another_unit_cannot_bring_a_unit_outside_the_campaign(
    english, today, tree, campaign, bob
):
    with pytest.raises(ValidationError) as caught:
        _log(bob, campaign, tree.county, target_unit=tree.other_hospital)
    assert _messages(caught.value, "target_unit") == [
        "The unit visited does not take part in this campaign."
    ]


def test_the_creator_deletes_a_visit_with_its_audit_entry(today, tree, campaign, sam, village):
    visit = _log(sam, campaign, tree.hospital, places=[village])
    services.visit_delete(actor=sam, visit=visit)
    assert not Visit.objects.exists()
    entry = AuditEntry.objects.get(action="delete", object_type="visits.visit")
    assert entry.before["places"] == [village.pk]


def test_a_colleague_cannot_delete_someone_elses_visit(today, tree, campaign, sam, people, village):
    visit = _log(sam, campaign, tree.hospital, places=[village])
    colleague = people[2].user
    with pytest.raises(PermissionDenied):
        services.visit_delete(actor=colleague, visit=visit)
    assert Visit.objects.count() == 1


def test_a_visit_that_put_problems_on_the_list_stays(english, today, tree, campaign, sam, village):
    from ducha.problems import services as problem_services
    from ducha.problems.models import Category, Problem

    visit = _log(sam, campaign, tree.hospital, places=[village])
    problem_services.problem_report(
        actor=sam,
        unit=tree.hospital,
        category=Category.objects.get(code="service_attitude"),
        title="村卫生室缺药",
        source=Problem.Source.VISIT,
        visit=visit,
    )
    with pytest.raises(ValidationError) as caught:
        services.visit_delete(actor=sam, visit=visit)
    assert caught.value.messages == ["Problems were reported from this visit; it stays on record."]
    assert Visit.objects.filter(pk=visit.pk).exists()
