import datetime

import pytest

from ducha.campaigns.models import Campaign
from ducha.core import demo, demo_data
from ducha.orgs.models import OrgUnit
from ducha.visits import quotas, selectors
from ducha.visits.demo import ATTACHMENT_2, add_visit_demo
from ducha.visits.models import ContactAssignment, Quota, Visit

END = datetime.date(2012, 9, 30)


@pytest.fixture(scope="module")
def demo_campaign(django_db_setup, django_db_blocker):
    """The demo district and its visiting campaign, which the demo loader fills through
    add_visit_demo; built once for the module (slow), rolled back after it."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            demo.demo_build(seed=2012)
            district = OrgUnit.objects.get(code=demo_data.DISTRICT[0])
            yield Campaign.objects.get(unit=district, parent=None)
            transaction.set_rollback(True)


@pytest.fixture
def office(demo_campaign):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="office")


@pytest.mark.django_db
def test_the_visiting_table_of_attachment_2_is_linked_once_by_name(demo_campaign):
    rows = ContactAssignment.objects.filter(
        campaign=demo_campaign, kind=ContactAssignment.Kind.LEADER_UNIT, target_unit__isnull=False
    ).select_related("person", "target_unit")
    pairs = [(a.person.name, a.target_unit.code) for a in rows]
    expected = {(name, code) for name, codes in demo_data.LEADER_VISITS.items() for code in codes}
    assert set(pairs) == expected
    assert len(pairs) == len(set(pairs))  # the importer's rows and ours are not doubled
    assert len(ATTACHMENT_2) == 7


@pytest.mark.django_db
def test_the_demo_has_staff_behind_quota_and_villages_never_visited(demo_campaign, office):
    assert Visit.objects.filter(campaign=demo_campaign).count() > 100
    village = Quota.objects.filter(
        campaign=demo_campaign, activity=Quota.Activity.VISIT_VILLAGE, subject="person"
    ).first()
    result = quotas.quota_attainment(village, user=office, today=END)
    assert 0.5 < result.rate < 0.95
    assert result.behind
    never = selectors.places_never_visited(office, demo_campaign)
    assert never
    assert not Visit.objects.filter(campaign=demo_campaign, places=never[0].target_place).exists()
    leaders = Quota.objects.get(
        campaign=demo_campaign, activity=Quota.Activity.VISIT_ENTERPRISE, subject="leader"
    )
    leader_result = quotas.quota_attainment(leaders, user=office, today=END)
    assert len(leader_result.rows) == 7
    assert 0 < leader_result.met < 7


@pytest.mark.django_db
def test_it_adds_only_what_is_missing_when_run_again(demo_campaign):
    before = ContactAssignment.objects.filter(
        campaign=demo_campaign, kind=ContactAssignment.Kind.LEADER_UNIT
    ).count()
    quotas_before = demo_campaign.quotas.count()
    counts = add_visit_demo(demo_campaign, today=END)
    assert counts["quota"] == 0
    assert demo_campaign.quotas.count() == quotas_before
    assert (
        ContactAssignment.objects.filter(
            campaign=demo_campaign, kind=ContactAssignment.Kind.LEADER_UNIT
        ).count()
        == before
    )
