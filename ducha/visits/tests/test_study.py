import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ducha.audit.models import AuditEntry
from ducha.visits import services
from ducha.visits.models import StudyRecord


def _add(actor, person, **fields):
    values = {
        "date": datetime.date(2024, 5, 10),
        "hours": Decimal("2.5"),
        "kind": StudyRecord.Kind.SELF,
        "topic": "学习医改政策",
        **fields,
    }
    return services.study_record_add(actor=actor, person=person, **values)


def test_staff_log_their_own_study(today, sam, campaign):
    record = _add(sam, sam.person, campaign=campaign)
    record.refresh_from_db()
    assert (record.person, record.hours, record.campaign) == (sam.person, Decimal("2.5"), campaign)
    assert AuditEntry.objects.filter(action="create", object_type="visits.studyrecord").count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"date": datetime.date(2024, 5, 16)},
            "date",
            "Study cannot be dated in the future (today is 2024-05-15).",
        ),
        ({"hours": Decimal("0")}, "hours", "Enter between 0.5 and 24 hours for one day's study."),
        ({"hours": Decimal("25")}, "hours", "Enter between 0.5 and 24 hours for one day's study."),
    ],
)
def test_it_refuses_impossible_study(english, today, sam, fields, field, message):
    with pytest.raises(ValidationError) as caught:
        _add(sam, sam.person, **fields)
    assert caught.value.message_dict[field] == [message]
    assert not StudyRecord.objects.exists()


def test_study_for_a_campaign_is_dated_inside_it(english, today, sam, campaign):
    with pytest.raises(ValidationError) as caught:
        _add(sam, sam.person, campaign=campaign, date=datetime.date(2024, 1, 5))
    assert "2024-01-05 is outside it" in caught.value.message_dict["date"][0]


def test_the_coordinator_logs_for_the_unit_but_staff_only_for_themselves(today, sam, dora):
    assert _add(dora, sam.person).person == sam.person
    with pytest.raises(PermissionDenied):
        _add(sam, dora.person)
    assert StudyRecord.objects.count() == 1


def test_the_other_county_is_refused_as_missing(today, carol, sam):
    with pytest.raises(Http404):
        _add(carol, sam.person)


def test_one_deletes_ones_own_record(today, sam):
    record = _add(sam, sam.person)
    services.study_record_delete(actor=sam, record=record)
    assert not StudyRecord.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_type="visits.studyrecord").exists()
