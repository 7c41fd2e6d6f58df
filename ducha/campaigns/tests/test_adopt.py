import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.campaigns import services
from ducha.campaigns.models import Campaign, Phase
from ducha.submissions.models import Requirement

D = datetime.date


@pytest.fixture
def requirements(city_campaign, tree):
    plan = Requirement.objects.create(
        campaign=city_campaign,
        kind=Requirement.Kind.UNIT_PLAN,
        title="各单位实施方案",
        due_date=D(2024, 3, 15),
        due_text="3月15日前",
        receiver="市局办公室",
    )
    plan.units.add(tree.county)
    brief = Requirement.objects.create(
        campaign=city_campaign,
        kind=Requirement.Kind.BRIEF,
        title="工作简报",
        due_date=D(2024, 3, 8),
        recurrence=Requirement.Recurrence.WEEKLY,
        repeat_until=D(2024, 6, 28),
    )
    return plan, brief


def test_a_county_adopts_the_city_campaign(alice, city_campaign, requirements, tree):
    plan, brief = requirements
    child = services.campaign_adopt(actor=alice, parent=city_campaign, unit=tree.county)
    child.refresh_from_db()

    assert child.parent == city_campaign
    assert child.unit == tree.county
    assert child.status == Campaign.Status.DRAFT
    assert child.title == city_campaign.title
    assert child.issuer == "东湖区卫生健康局"
    assert (child.starts_on, child.ends_on) == (city_campaign.starts_on, city_campaign.ends_on)
    # It reaches the county's own subtree.
    assert set(child.participants.values_list("unit_id", flat=True)) == {
        tree.hospital.pk,
        tree.hospital2.pk,
    }
    # Phases come with their wording and a link to the phase they adopt.
    parent_phases = list(city_campaign.phases.all())
    phases = list(child.phases.all())
    assert [(p.name, p.starts_on, p.ends_on, p.start_text, p.end_text) for p in phases] == [
        (p.name, p.starts_on, p.ends_on, p.start_text, p.end_text) for p in parent_phases
    ]
    assert [p.inherited_from_id for p in phases] == [p.pk for p in parent_phases]
    # Required submissions come too, for every participant of the child (no unit list).
    copies = {r.parent_id: r for r in Requirement.objects.filter(campaign=child)}
    assert set(copies) == {plan.pk, brief.pk}
    assert copies[plan.pk].due_date == D(2024, 3, 15)
    assert copies[plan.pk].due_text == "3月15日前"
    assert copies[plan.pk].kind == Requirement.Kind.UNIT_PLAN
    assert copies[brief.pk].recurrence == Requirement.Recurrence.WEEKLY
    assert copies[brief.pk].repeat_until == D(2024, 6, 28)
    assert not copies[plan.pk].units.exists()

    entry = AuditEntry.objects.get(object_type="campaigns.campaign", object_id=str(child.pk))
    assert entry.action == "create"
    assert entry.actor_name == "alice"
    assert entry.after["parent_id"] == city_campaign.pk
    assert sorted(entry.after["requirements"]) == sorted([plan.pk, brief.pk])


def test_adopting_twice_returns_the_same_campaign(alice, city_campaign, tree):
    first = services.campaign_adopt(actor=alice, parent=city_campaign, unit=tree.county)
    again = services.campaign_adopt(actor=alice, parent=city_campaign, unit=tree.county)
    assert again.pk == first.pk
    assert Campaign.objects.filter(parent=city_campaign).count() == 1
    assert Phase.objects.filter(campaign=first).count() == 2
    created = AuditEntry.objects.filter(
        object_type="campaigns.campaign", object_id=str(first.pk), action="create"
    )
    assert created.count() == 1


def test_it_refuses_adoption_by_those_who_may_not_run_campaigns_there(
    alice, bob, dora, city_campaign, tree
):
    for actor, unit in ((bob, tree.county), (dora, tree.hospital), (alice, tree.other_county)):
        with pytest.raises(PermissionDenied):
            services.campaign_adopt(actor=actor, parent=city_campaign, unit=unit)
    assert not Campaign.objects.filter(parent=city_campaign).exists()


def test_it_refuses_a_unit_outside_the_scope(alice, cathy, tree):
    campaign = services.campaign_create(
        actor=cathy,
        unit=tree.city,
        title="西山县试点",
        scope_mode=Campaign.ScopeMode.LIST,
        units=[tree.other_county],
    )
    services.campaign_activate(actor=cathy, campaign=campaign)
    with pytest.raises(ValidationError) as error:
        services.campaign_adopt(actor=alice, parent=campaign, unit=tree.county)
    assert "unit" in error.value.message_dict
    assert not Campaign.objects.filter(parent=campaign).exists()


def test_only_an_active_campaign_is_adopted(alice, cathy, city_campaign, tree):
    services.campaign_close(actor=cathy, campaign=city_campaign)
    with pytest.raises(ValidationError):
        services.campaign_adopt(actor=alice, parent=city_campaign, unit=tree.county)
    assert not Campaign.objects.filter(parent=city_campaign).exists()


def test_the_cascade_goes_on_to_the_next_level(alice, city_campaign, tree):
    county = services.campaign_adopt(actor=alice, parent=city_campaign, unit=tree.county)
    services.campaign_activate(actor=alice, campaign=county)
    hospital = services.campaign_adopt(actor=alice, parent=county, unit=tree.hospital)
    assert hospital.parent == county
    # The hospital's own plan has no participants of its own (departments report through it)
    # and may still be activated.
    assert not hospital.participants.exists()
    services.campaign_activate(actor=alice, campaign=hospital)
    assert Campaign.objects.get(pk=hospital.pk).status == Campaign.Status.ACTIVE
    grand = hospital.phases.get(name="动员部署")
    assert grand.inherited_from.inherited_from.campaign == city_campaign


# --- tightening -----------------------------------------------------------------------------


@pytest.fixture
def child(alice, city_campaign, tree):
    return services.campaign_adopt(actor=alice, parent=city_campaign, unit=tree.county)


def test_a_child_may_tighten_an_inherited_phase(alice, child):
    phase = child.phases.get(name="查摆问题")
    services.phase_update(actor=alice, phase=phase, starts_on=D(2024, 4, 5), ends_on=D(2024, 5, 10))
    phase.refresh_from_db()
    assert (phase.starts_on, phase.ends_on) == (D(2024, 4, 5), D(2024, 5, 10))


def test_a_child_may_not_loosen_an_inherited_phase(alice, child, english):
    phase = child.phases.get(name="查摆问题")
    with pytest.raises(ValidationError) as error:
        services.phase_update(actor=alice, phase=phase, ends_on=D(2024, 5, 25))
    message = error.value.message_dict["ends_on"][0]
    assert "2024-05-20" in message  # names the parent's date
    assert "查摆问题" in message
    assert Phase.objects.get(pk=phase.pk).ends_on == D(2024, 5, 20)


def test_a_child_campaign_may_not_end_after_its_parent(alice, child):
    with pytest.raises(ValidationError) as error:
        services.campaign_update(actor=alice, campaign=child, ends_on=D(2024, 7, 31))
    assert "2024-06-30" in error.value.message_dict["ends_on"][0]
    services.campaign_update(actor=alice, campaign=child, ends_on=D(2024, 6, 20))
    assert Campaign.objects.get(pk=child.pk).ends_on == D(2024, 6, 20)


def test_a_child_adds_its_own_phase_but_keeps_the_inherited_ones(alice, child):
    own = services.phase_add(
        actor=alice,
        campaign=child,
        name="区级督查",
        starts_on=D(2024, 5, 21),
        ends_on=D(2024, 6, 10),
    )
    assert own.inherited_from is None
    services.phase_delete(actor=alice, phase=own)
    with pytest.raises(ValidationError):
        services.phase_delete(actor=alice, phase=child.phases.get(name="动员部署"))
    assert child.phases.count() == 2


def test_a_parent_that_tightens_a_phase_tightens_the_copies(alice, cathy, city_campaign, child):
    services.campaign_activate(actor=alice, campaign=child)
    hospital = services.campaign_adopt(
        actor=alice, parent=child, unit=child.unit.children.get(code="H01")
    )
    hospital2 = services.campaign_adopt(
        actor=alice, parent=child, unit=child.unit.children.get(code="H02")
    )
    tighter = hospital.phases.get(name="查摆问题")
    services.phase_update(actor=alice, phase=tighter, ends_on=D(2024, 5, 1))

    source = city_campaign.phases.get(name="查摆问题")
    services.phase_update(actor=cathy, phase=source, ends_on=D(2024, 5, 10), end_text="5月10日")

    # The county's copy and, through it, the second hospital's follow the city down the
    # cascade; the first hospital had tightened further already and keeps its date.
    county_copy = child.phases.get(name="查摆问题")
    assert (county_copy.ends_on, county_copy.end_text) == (D(2024, 5, 10), "5月10日")
    assert hospital2.phases.get(name="查摆问题").ends_on == D(2024, 5, 10)
    assert Phase.objects.get(pk=tighter.pk).ends_on == D(2024, 5, 1)
    clipped = AuditEntry.objects.filter(
        object_type="campaigns.phase", action="update", actor_name="cathy"
    )
    assert clipped.count() == 3  # the city's phase and the two copies
