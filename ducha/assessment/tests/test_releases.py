import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.assessment import releases, services
from ducha.assessment.models import Indicator, ManualScore, ScoreRelease
from ducha.assessment.scoring import campaign_ranking
from ducha.audit.models import AuditEntry
from ducha.campaigns.tests.factories import make_county_campaign

PERIOD = "2024-03"


@pytest.fixture(autouse=True)
def _april():
    # 2 April 2024, 20:00 UTC: already 3 April in China.
    with freeze_time("2024-04-02 20:00:00"):
        yield


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def indicators(alice, campaign):
    return [
        services.indicator_create(
            actor=alice, campaign=campaign, content="制度建设", weight=Decimal(60)
        ),
        services.indicator_create(
            actor=alice, campaign=campaign, content="服务态度", weight=Decimal(40)
        ),
    ]


def score(alice, indicator, unit, value, period=PERIOD):
    return services.manual_score_set(
        actor=alice,
        indicator=indicator,
        unit=unit,
        period=period,
        value=Decimal(value),
        evidence="检查台账",
    )


@pytest.fixture
def scored(alice, tree, indicators):
    a, b = indicators
    score(alice, a, tree.hospital, 90)
    score(alice, b, tree.hospital, 80)
    score(alice, a, tree.hospital2, 70)
    score(alice, b, tree.hospital2, 70)
    return indicators


def publish(actor, campaign, **kwargs):
    return releases.release_publish(actor=actor, campaign=campaign, period=PERIOD, **kwargs)


def rows_by_unit(release):
    return {row["unit_id"]: row for row in release.rows}


def test_it_publishes_the_ranking_as_version_one(alice, tree, campaign, scored):
    release, created = publish(alice, campaign)
    assert created and release.version == 1
    assert release.appeal_deadline == datetime.date(2024, 4, 10)  # 3 April in China + 7 days
    rows = rows_by_unit(release)
    assert (rows[tree.hospital.pk]["score"], rows[tree.hospital.pk]["rank"]) == ("86.00", 1)
    assert (rows[tree.hospital2.pk]["rank"], rows[tree.hospital2.pk]["peers"]) == (2, 2)
    assert rows[tree.hospital2.pk]["bottom"] is True
    assert release.content_hash == releases.content_hash(
        {"indicators": release.indicators, "rows": release.rows}
    )
    assert AuditEntry.objects.filter(
        object_type="assessment.scorerelease", object_id=str(release.pk), action="create"
    ).exists()


def test_publishing_unchanged_data_twice_makes_no_new_version(alice, tree, campaign, scored):
    first, _created = publish(alice, campaign)
    again, created = publish(alice, campaign)
    assert again.pk == first.pk and created is False
    assert ScoreRelease.objects.count() == 1


def test_changed_data_makes_a_new_version_and_supersedes_the_old(alice, tree, campaign, scored):
    first, _created = publish(alice, campaign)
    score(alice, scored[0], tree.hospital2, 100)
    second, created = publish(alice, campaign)
    assert created and second.version == 2
    first.refresh_from_db()
    assert first.superseded_by == second and first.is_superseded
    assert not second.is_superseded
    assert rows_by_unit(first)[tree.hospital.pk]["rank"] == 1  # the old version is kept
    assert rows_by_unit(second)[tree.hospital2.pk]["rank"] == 1


def test_it_refuses_weights_that_do_not_add_up(alice, campaign, english):
    services.indicator_create(actor=alice, campaign=campaign, content="x", weight=Decimal(60))
    with pytest.raises(ValidationError) as error:
        publish(alice, campaign)
    assert "60" in error.value.messages[0] and "100" in error.value.messages[0]
    assert not ScoreRelease.objects.exists()


def test_it_refuses_a_bad_month_and_a_past_deadline(alice, campaign, scored):
    with pytest.raises(ValidationError) as error:
        releases.release_publish(actor=alice, campaign=campaign, period="2024-13")
    assert "period" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        publish(alice, campaign, appeal_deadline=datetime.date(2024, 4, 2))
    assert "appeal_deadline" in error.value.message_dict
    assert not ScoreRelease.objects.exists()
    release, _created = publish(alice, campaign, appeal_deadline=datetime.date(2024, 4, 3))
    assert release.appeal_deadline == datetime.date(2024, 4, 3)  # today in China is fine


def test_only_the_office_publishes(alice, bob, dora, carol, campaign, scored):
    for user in (bob, dora, carol):
        with pytest.raises(PermissionDenied):
            publish(user, campaign)
    assert not ScoreRelease.objects.exists()


def test_the_same_data_gives_byte_identical_content(alice, tree, campaign, scored):
    def content():
        ranking = campaign_ranking(campaign=campaign, period=PERIOD, user=alice)
        return releases.canonical_json(releases.ranking_content(ranking))

    first = content()
    assert content() == first
    score(alice, scored[1], tree.hospital, 85)
    changed = content()
    assert changed != first
    assert content() == changed


def test_only_the_changed_units_row_differs(alice, tree, campaign, scored):
    old = releases.ranking_content(campaign_ranking(campaign=campaign, period=PERIOD, user=alice))
    score(alice, scored[1], tree.hospital, 85)
    new = releases.ranking_content(campaign_ranking(campaign=campaign, period=PERIOD, user=alice))
    old_rows = {r["unit_id"]: r for r in old["rows"]}
    new_rows = {r["unit_id"]: r for r in new["rows"]}
    assert [u for u in old_rows if old_rows[u] != new_rows[u]] == [tree.hospital.pk]
    assert new_rows[tree.hospital.pk]["score"] == "88.00"


def test_verify_reports_a_match_then_the_unit_that_changed(alice, tree, campaign, scored):
    release, _created = publish(alice, campaign)
    check = releases.release_verify(release=release, user=alice)
    assert check.matches and check.changed_unit_ids == [] and not check.indicators_changed
    assert check.current_hash == release.content_hash
    score(alice, scored[1], tree.hospital, 85)
    check = releases.release_verify(release=release, user=alice)
    assert not check.matches
    assert check.changed_unit_ids == [tree.hospital.pk]


def test_verify_says_why_it_cannot_recompute(alice, campaign, scored, english):
    release, _created = publish(alice, campaign)
    Indicator.objects.filter(pk=scored[1].pk).update(weight=Decimal(10))
    check = releases.release_verify(release=release, user=alice)
    assert not check.matches and "70" in check.error


def test_each_cell_keeps_the_record_it_rests_on(alice, tree, campaign):
    manual = services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(50)
    )
    services.indicator_create(
        actor=alice,
        campaign=campaign,
        content="整改销号率",
        weight=Decimal(50),
        computed_source="closure_rate",
    )
    given = score(alice, manual, tree.hospital, 90)
    release, _created = publish(alice, campaign)
    cells = rows_by_unit(release)[tree.hospital.pk]["cells"]
    assert cells[0] == {
        "indicator_id": manual.pk,
        "value": "90.00",
        "met": None,
        "source": "manual",
        "record_id": given.pk,
    }
    assert (cells[1]["source"], cells[1]["record_id"], cells[1]["value"]) == (
        "closure_rate",
        None,
        None,
    )
    missing = rows_by_unit(release)[tree.hospital2.pk]["cells"][0]
    assert (missing["source"], missing["record_id"]) == ("manual", None)


def test_a_unit_sees_only_its_own_rows_of_the_latest_release(
    alice, dora, sam, carol, tree, campaign, scored
):
    publish(alice, campaign)
    score(alice, scored[0], tree.hospital, 95, period="2024-04")
    score(alice, scored[1], tree.hospital, 95, period="2024-04")
    latest, _created = releases.release_publish(actor=alice, campaign=campaign, period="2024-04")
    for user in (dora, sam):
        blocks = releases.my_scores(user)
        assert [b.release.pk for b in blocks] == [latest.pk]
        assert [row["unit_id"] for row in blocks[0].rows] == [tree.hospital.pk]
    assert {row["unit_id"] for row in releases.my_scores(alice)[0].rows} == {
        tree.hospital.pk,
        tree.hospital2.pk,
    }
    assert releases.my_scores(carol) == []


def test_the_manual_score_behind_a_number_can_change_after_publishing(
    alice, tree, campaign, scored
):
    release, _created = publish(alice, campaign)
    record_id = rows_by_unit(release)[tree.hospital.pk]["cells"][0]["record_id"]
    score(alice, scored[0], tree.hospital, 50)
    assert ManualScore.objects.get(pk=record_id).value == Decimal(50)
    assert rows_by_unit(release)[tree.hospital.pk]["cells"][0]["value"] == "90.00"


def test_the_trend_reads_a_published_month_from_its_release(alice, tree, campaign, scored):
    from ducha.assessment.scoring import score_trend

    a, b = scored
    publish(alice, campaign)
    # March's data changes after publication; April is not published.
    score(alice, a, tree.hospital, 10)
    score(alice, a, tree.hospital, 50, period="2024-04")
    score(alice, b, tree.hospital, 50, period="2024-04")
    trend = score_trend(campaign=campaign, period="2024-04", user=alice, months=3)
    # February: nothing; March: the published 86.00, not the recomputed 38.00; April: live.
    assert trend[tree.hospital.pk] == [
        ("2024-02", None),
        ("2024-03", Decimal("86.00")),
        ("2024-04", Decimal("50.00")),
    ]
    assert trend[tree.hospital2.pk] == [
        ("2024-02", None),
        ("2024-03", Decimal("70.00")),
        ("2024-04", None),
    ]
    # The month asked for is always computed, published or not.
    live = score_trend(campaign=campaign, period="2024-03", user=alice, months=1)
    assert live[tree.hospital.pk] == [("2024-03", Decimal("38.00"))]


def test_unit_values_read_a_published_month_from_its_release(alice, tree, campaign, scored):
    from ducha.assessment.scoring import unit_values

    a, b = scored
    publish(alice, campaign)
    score(alice, a, tree.hospital, 10)  # after publication
    score(alice, a, tree.hospital, 55, period="2024-04")
    values = unit_values(
        campaign=campaign, period="2024-04", user=alice, unit_ids={tree.hospital.pk}, months=2
    )
    assert values[(tree.hospital.pk, a.pk, "2024-03")] == Decimal("90.00")  # as published
    assert values[(tree.hospital.pk, a.pk, "2024-04")] == Decimal("55.00")
    assert values[(tree.hospital.pk, b.pk, "2024-04")] is None
    assert not any(unit == tree.hospital2.pk for unit, _i, _m in values)
