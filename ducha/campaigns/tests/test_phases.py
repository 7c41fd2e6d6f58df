import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.campaigns import services
from ducha.campaigns.models import Phase

D = datetime.date


def _add(actor, campaign, **fields):
    values = {"name": "查摆问题", "starts_on": D(2024, 4, 1), "ends_on": D(2024, 4, 30), **fields}
    return services.phase_add(actor=actor, campaign=campaign, **values)


def test_it_adds_phases_in_order_keeping_the_dates_as_written(alice, campaign):
    first = _add(
        alice,
        campaign,
        name="动员部署",
        starts_on=D(2024, 3, 21),
        ends_on=D(2024, 4, 30),
        start_text="3月下旬",
        end_text="4月下旬",
        tasks="召开动员大会",
    )
    second = _add(alice, campaign, starts_on=D(2024, 5, 1), ends_on=D(2024, 5, 31))
    first.refresh_from_db()
    assert (first.order, second.order) == (1, 2)
    assert (first.start_text, first.end_text) == ("3月下旬", "4月下旬")
    assert first.tasks == "召开动员大会"
    entry = AuditEntry.objects.get(object_type="campaigns.phase", object_id=str(first.pk))
    assert entry.action == "create"
    assert entry.unit_path == campaign.unit.path
    assert entry.after["start_text"] == "3月下旬"


def test_it_refuses_a_phase_ending_before_it_starts(alice, campaign, english):
    with pytest.raises(ValidationError) as error:
        _add(alice, campaign, starts_on=D(2024, 4, 10), ends_on=D(2024, 4, 9))
    assert error.value.message_dict["ends_on"] == ["The phase ends before it starts."]
    assert not Phase.objects.exists()


def test_a_one_day_phase_is_fine(alice, campaign):
    phase = _add(alice, campaign, starts_on=D(2024, 6, 18), ends_on=D(2024, 6, 18))
    assert phase.pk


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        (D(2024, 2, 28), D(2024, 3, 10), "starts_on"),  # the campaign starts on 1 March
        (D(2024, 6, 1), D(2024, 7, 1), "ends_on"),  # the campaign ends on 30 June
    ],
)
def test_it_refuses_a_phase_outside_the_campaign(alice, campaign, starts_on, ends_on, field):
    with pytest.raises(ValidationError) as error:
        _add(alice, campaign, starts_on=starts_on, ends_on=ends_on)
    assert list(error.value.message_dict) == [field]
    assert not Phase.objects.exists()


def test_a_campaign_without_dates_takes_any_phase(alice, tree):
    campaign = services.campaign_create(actor=alice, unit=tree.county, title="无日期")
    assert _add(alice, campaign, starts_on=D(2030, 1, 1), ends_on=D(2030, 2, 1)).pk


def test_it_updates_a_phase_with_before_and_after(alice, campaign):
    phase = _add(alice, campaign)
    services.phase_update(
        actor=alice, phase=phase, ends_on=D(2024, 5, 10), end_text="5月上旬", campaign=None
    )
    phase.refresh_from_db()
    assert phase.ends_on == D(2024, 5, 10)
    assert phase.campaign_id == campaign.pk
    entry = AuditEntry.objects.get(action="update", object_type="campaigns.phase")
    assert entry.before == {"ends_on": "2024-04-30", "end_text": ""}
    assert entry.after == {"ends_on": "2024-05-10", "end_text": "5月上旬"}


def test_it_refuses_an_update_that_breaks_the_dates(alice, campaign):
    phase = _add(alice, campaign)
    with pytest.raises(ValidationError):
        services.phase_update(actor=alice, phase=phase, starts_on=D(2024, 5, 2))
    assert Phase.objects.get(pk=phase.pk).starts_on == D(2024, 4, 1)


def test_it_deletes_a_phase(alice, campaign):
    phase = _add(alice, campaign)
    services.phase_delete(actor=alice, phase=phase)
    assert not Phase.objects.exists()
    entry = AuditEntry.objects.get(action="delete", object_type="campaigns.phase")
    assert entry.before["name"] == "查摆问题"


def test_it_refuses_phase_changes_by_a_bureau_leader(alice, bob, campaign):
    phase = _add(alice, campaign)
    with pytest.raises(PermissionDenied):
        _add(bob, campaign)
    with pytest.raises(PermissionDenied):
        services.phase_update(actor=bob, phase=phase, name="x")
    with pytest.raises(PermissionDenied):
        services.phase_delete(actor=bob, phase=phase)
    assert list(Phase.objects.values_list("name", flat=True)) == ["查摆问题"]
