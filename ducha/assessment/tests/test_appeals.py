import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from ducha.assessment import appeals, releases, services
from ducha.assessment.models import Appeal, ScoreCorrection, ScoreRelease
from ducha.assessment.scoring import campaign_ranking
from ducha.assessment.tests.factories import PERIOD, PNG, scored_indicators
from ducha.audit.models import AuditEntry
from ducha.campaigns.tests.factories import make_county_campaign
from ducha.notify.models import Notification
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member


@pytest.fixture(autouse=True)
def _april():
    with freeze_time("2024-04-03 09:00:00"):
        yield


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def indicators(alice, tree, campaign):
    return scored_indicators(alice, tree, campaign)


@pytest.fixture
def release(alice, campaign, indicators):
    release, _created = releases.release_publish(
        actor=alice, campaign=campaign, period=PERIOD, appeal_deadline=datetime.date(2024, 4, 10)
    )
    return release


def file_appeal(user, release, unit, indicator=None, reasons="制度建设台账漏计两项", **kwargs):
    return appeals.appeal_file(
        actor=user, release=release, unit=unit, indicator=indicator, reasons=reasons, **kwargs
    )


def rank_of(release, unit):
    return next(r["rank"] for r in release.rows if r["unit_id"] == unit.pk)


def test_a_coordinator_appeals_within_the_period(dora, tree, release, indicators):
    evidence = SimpleUploadedFile("照片.png", PNG, content_type="image/png")
    appeal, created = file_appeal(dora, release, tree.hospital, indicators[0], file=evidence)
    assert created and appeal.status == Appeal.Status.SUBMITTED
    assert (appeal.submitted_by, appeal.indicator, appeal.file_name) == (
        dora,
        indicators[0],
        "照片.png",
    )
    assert appeal.file.name.endswith(".png") and appeal.file_size == len(PNG)
    assert AuditEntry.objects.filter(
        object_type="assessment.appeal", object_id=str(appeal.pk), action="create"
    ).exists()


def test_a_double_click_gives_the_same_appeal(dora, tree, release, indicators):
    first, _created = file_appeal(dora, release, tree.hospital, indicators[0])
    again, created = file_appeal(dora, release, tree.hospital, indicators[0], reasons="再次提交")
    assert again.pk == first.pk and created is False
    assert Appeal.objects.count() == 1
    # Another indicator, or the whole score, is another appeal.
    file_appeal(dora, release, tree.hospital, indicators[1])
    file_appeal(dora, release, tree.hospital)
    file_appeal(dora, release, tree.hospital)
    assert Appeal.objects.count() == 3


def test_the_deadline_day_counts_in_china_standard_time(dora, tree, release, english):
    with freeze_time("2024-04-10 15:59:00"):  # 23:59 on the 10th in China
        _appeal, created = file_appeal(dora, release, tree.hospital)
    assert created
    Appeal.objects.all().delete()
    # 00:01 on the 11th in China
    with freeze_time("2024-04-10 16:01:00"), pytest.raises(ValidationError) as error:
        file_appeal(dora, release, tree.hospital)
    assert "2024-04-10" in error.value.messages[0]
    assert not Appeal.objects.exists()


def test_it_refuses_appeals_out_of_place(dora, sam, carol, tree, release, indicators):
    with pytest.raises(ValidationError) as error:  # departments are not ranked
        file_appeal(dora, release, tree.department)
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        file_appeal(dora, release, tree.hospital, reasons="  ")
    assert "reasons" in error.value.message_dict
    with pytest.raises(PermissionDenied):  # staff do not speak for the unit
        file_appeal(sam, release, tree.hospital)
    with pytest.raises(PermissionDenied):
        file_appeal(carol, release, tree.hospital)
    with pytest.raises(PermissionDenied):  # dora's role does not reach the other hospital
        file_appeal(dora, release, tree.hospital2)
    assert not Appeal.objects.exists()


def test_it_refuses_an_indicator_of_another_campaign(alice, dora, tree, release):
    other = make_county_campaign(alice, tree, title="另一活动")
    foreign = services.indicator_create(
        actor=alice, campaign=other, content="x", weight=Decimal(100)
    )
    with pytest.raises(ValidationError) as error:
        file_appeal(dora, release, tree.hospital, foreign)
    assert "indicator" in error.value.message_dict
    assert not Appeal.objects.exists()


def test_a_file_that_is_not_evidence_is_refused_and_nothing_is_stored(
    dora, tree, release, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        file_appeal(dora, release, tree.hospital, file=fake)
    assert "file" in error.value.message_dict
    assert not Appeal.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_superseded_release_takes_no_appeal(alice, dora, tree, release, indicators):
    services.manual_score_set(
        actor=alice,
        indicator=indicators[0],
        unit=tree.hospital,
        period=PERIOD,
        value=Decimal(71),
        evidence="复核",
    )
    releases.release_publish(actor=alice, campaign=release.campaign, period=PERIOD)
    release.refresh_from_db()
    with pytest.raises(ValidationError):
        file_appeal(dora, release, tree.hospital)
    assert not Appeal.objects.exists()


def test_accepting_corrects_the_value_and_publishes_a_new_version(
    alice, dora, tree, campaign, release, indicators, django_capture_on_commit_callbacks
):
    assert (rank_of(release, tree.hospital2), rank_of(release, tree.hospital)) == (1, 2)
    appeal, _created = file_appeal(dora, release, tree.hospital, indicators[0])
    with django_capture_on_commit_callbacks(execute=True):
        decided = appeals.appeal_decide(
            actor=alice,
            appeal=appeal,
            decision=Appeal.Status.ACCEPTED,
            note="台账核实，漏计属实",
            corrected_value=Decimal(100),
        )
    assert decided.status == Appeal.Status.ACCEPTED
    assert (decided.decided_by, decided.corrected_value) == (alice, Decimal(100))
    correction = ScoreCorrection.objects.get()
    assert (correction.unit, correction.indicator, correction.value) == (
        tree.hospital,
        indicators[0],
        Decimal(100),
    )
    new = decided.result_release
    assert new.version == 2 and new.appeal_deadline == release.appeal_deadline
    release.refresh_from_db()
    assert release.superseded_by == new
    # 60 + 28 = 88 beats 86: the ranks swap.
    assert (rank_of(new, tree.hospital), rank_of(new, tree.hospital2)) == (1, 2)
    row = next(r for r in new.rows if r["unit_id"] == tree.hospital.pk)
    assert row["score"] == "88.00"
    assert row["cells"][0] == {
        "indicator_id": indicators[0].pk,
        "value": "100.00",
        "met": None,
        "source": "correction",
        "record_id": appeal.pk,
    }
    # The live ranking applies it too.
    live = campaign_ranking(campaign=campaign, period=PERIOD, user=alice)
    assert next(r for r in live.rows if r.unit == tree.hospital).score == Decimal("88.00")
    assert AuditEntry.objects.filter(object_type="assessment.scorecorrection").count() == 1
    assert AuditEntry.objects.filter(
        object_type="assessment.appeal", object_id=str(appeal.pk), action="update"
    ).exists()
    notice = Notification.objects.get(user=dora)
    assert notice.key == f"assessment:appeal:{appeal.pk}:decided"


def test_accepting_needs_a_corrected_value_from_0_to_100(alice, dora, tree, release, indicators):
    appeal, _created = file_appeal(dora, release, tree.hospital, indicators[0])
    for value in (None, Decimal(120), Decimal(-1), "abc"):
        with pytest.raises(ValidationError) as error:
            appeals.appeal_decide(
                actor=alice,
                appeal=appeal,
                decision=Appeal.Status.ACCEPTED,
                note="核实",
                corrected_value=value,
            )
        assert "corrected_value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        appeals.appeal_decide(
            actor=alice, appeal=appeal, decision=Appeal.Status.ACCEPTED, note=" ", corrected_value=1
        )
    assert "decision_note" in error.value.message_dict
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.SUBMITTED
    assert not ScoreCorrection.objects.exists() and ScoreRelease.objects.count() == 1


def test_a_whole_score_appeal_takes_no_corrected_value(alice, dora, tree, release):
    appeal, _created = file_appeal(dora, release, tree.hospital)
    with pytest.raises(ValidationError) as error:
        appeals.appeal_decide(
            actor=alice,
            appeal=appeal,
            decision=Appeal.Status.ACCEPTED,
            note="核实",
            corrected_value=Decimal(90),
        )
    assert "corrected_value" in error.value.message_dict
    decided = appeals.appeal_decide(
        actor=alice, appeal=appeal, decision=Appeal.Status.ACCEPTED, note="已重新核分"
    )
    # Nothing changed in the data: the recomputed ranking is the published one.
    assert decided.result_release == release and ScoreRelease.objects.count() == 1


def test_rejecting_keeps_the_scores(
    alice, dora, tree, release, indicators, django_capture_on_commit_callbacks
):
    appeal, _created = file_appeal(dora, release, tree.hospital, indicators[0])
    with django_capture_on_commit_callbacks(execute=True):
        decided = appeals.appeal_decide(
            actor=alice, appeal=appeal, decision=Appeal.Status.REJECTED, note="证据不足"
        )
    assert decided.status == Appeal.Status.REJECTED and decided.result_release is None
    assert not ScoreCorrection.objects.exists() and ScoreRelease.objects.count() == 1
    assert Notification.objects.filter(user=dora).count() == 1


def test_a_decided_appeal_is_not_decided_again_and_told_once(
    alice, dora, tree, release, indicators, django_capture_on_commit_callbacks, english
):
    head = make_member("hank", tree.hospital, Role.UNIT_HEAD, name="汉克").user
    other_coordinator = make_member("olga", tree.hospital, Role.COORDINATOR, name="奥尔加").user
    appeal, _created = file_appeal(head, release, tree.hospital, indicators[0])
    with django_capture_on_commit_callbacks(execute=True):
        appeals.appeal_decide(
            actor=alice,
            appeal=appeal,
            decision=Appeal.Status.ACCEPTED,
            note="属实",
            corrected_value=Decimal(100),
        )
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as error,
    ):
        appeals.appeal_decide(
            actor=alice, appeal=appeal, decision=Appeal.Status.REJECTED, note="改判"
        )
    assert "already decided" in error.value.messages[0]
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ACCEPTED
    assert ScoreCorrection.objects.count() == 1 and ScoreRelease.objects.count() == 2
    # The unit's coordinators and the head who filed it, each told once; not the office.
    told = Notification.objects.filter(key=f"assessment:appeal:{appeal.pk}:decided")
    assert sorted(told.values_list("user__username", flat=True)) == ["dora", "hank", "olga"]
    assert other_coordinator.notifications.count() == 1


def test_only_the_office_decides(alice, bob, dora, carol, tree, release):
    appeal, _created = file_appeal(dora, release, tree.hospital)
    for user in (bob, dora, carol):
        with pytest.raises(PermissionDenied):
            appeals.appeal_decide(
                actor=user, appeal=appeal, decision=Appeal.Status.REJECTED, note="x"
            )
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.SUBMITTED
