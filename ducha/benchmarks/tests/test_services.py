from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ducha.assessment import services as assessment_services
from ducha.audit.models import AuditEntry
from ducha.benchmarks import selectors, services
from ducha.benchmarks.models import Benchmark, BenchmarkMeasure, BenchmarkValue
from ducha.campaigns.tests.factories import make_county_campaign

from .factories import PERIOD, make_outside, make_peer, score


def set_value(actor, benchmark, indicator, value, period=PERIOD, source="省卫健委2024年3月通报"):
    return services.benchmark_value_set(
        actor=actor,
        benchmark=benchmark,
        indicator=indicator,
        period=period,
        value=Decimal(value),
        source=source,
    )


def rows_of(comparison):
    return {row.indicator.content: row for row in comparison.rows}


# --- gap -----------------------------------------------------------------------------------


def test_the_gap_counts_lower_is_better_indicators(alice, tree, campaign, scored):
    satisfaction, complaints = scored
    benchmark = make_outside(alice, campaign, tree.hospital, scored)
    set_value(alice, benchmark, satisfaction, "85.5")
    set_value(alice, benchmark, complaints, 6)
    rows = rows_of(selectors.benchmark_comparison(benchmark=benchmark, period=PERIOD, user=alice))
    own_lower = rows["患者满意度"].current
    assert (own_lower.own, own_lower.benchmark) == (Decimal("80.00"), Decimal("85.50"))
    assert own_lower.gap == Decimal("-5.50") and own_lower.gap_text == "-5.50"
    assert own_lower.position == selectors.Position.BEHIND
    # 投诉率 is "at most": our 10 against their 6 is behind although the gap is positive.
    own_higher = rows["投诉率"].current
    assert own_higher.gap == Decimal("4.00") and own_higher.gap_text == "+4.00"
    assert own_higher.position == selectors.Position.BEHIND
    assert rows["投诉率"].lower_is_better


def test_a_lower_value_is_ahead_on_an_at_most_indicator(alice, tree, campaign, scored):
    satisfaction, complaints = scored
    benchmark = make_outside(alice, campaign, tree.hospital, scored)
    set_value(alice, benchmark, satisfaction, 80)
    set_value(alice, benchmark, complaints, 12)
    rows = rows_of(selectors.benchmark_comparison(benchmark=benchmark, period=PERIOD, user=alice))
    assert rows["患者满意度"].current.position == selectors.Position.LEVEL
    assert rows["投诉率"].current.position == selectors.Position.AHEAD


def test_missing_values_give_no_gap(alice, tree, campaign, indicators):
    satisfaction, complaints = indicators
    score(alice, satisfaction, tree.hospital, 80)  # 投诉率 of the unit is missing
    benchmark = make_outside(alice, campaign, tree.hospital, indicators)
    set_value(alice, benchmark, complaints, 3)  # 满意度 of the benchmark is missing
    rows = rows_of(selectors.benchmark_comparison(benchmark=benchmark, period=PERIOD, user=alice))
    for content in ("患者满意度", "投诉率"):
        point = rows[content].current
        assert point.gap is None and point.position is None
        assert point.gap_text == "—" and point.position_label == "—"
    assert rows["患者满意度"].current.benchmark_text == "—"
    assert rows["投诉率"].current.own_text == "—"  # not 0


def test_the_trend_covers_six_months_up_to_the_period(alice, tree, campaign, scored):
    satisfaction, _complaints = scored
    score(alice, satisfaction, tree.hospital, 70, period="2024-01")
    benchmark = make_outside(alice, campaign, tree.hospital, scored)
    set_value(alice, benchmark, satisfaction, 75, period="2024-01")
    comparison = selectors.benchmark_comparison(benchmark=benchmark, period=PERIOD, user=alice)
    assert comparison.periods == ["2023-10", "2023-11", "2023-12", "2024-01", "2024-02", PERIOD]
    points = {p.period: p for p in rows_of(comparison)["患者满意度"].points}
    assert points["2024-01"].gap == Decimal("-5.00")
    assert points["2024-02"].own is None and points["2024-02"].gap is None
    assert points[PERIOD].own == Decimal("80.00") and points[PERIOD].benchmark is None
    data = selectors.chart_data(comparison)
    assert data["indicators"][0]["own"] == [None, None, None, 70.0, None, 80.0]
    assert data["indicators"][0]["benchmark"] == [None, None, None, 75.0, None, None]


def test_weights_that_do_not_add_up_refuse_the_comparison(alice, tree, campaign, english):
    one = assessment_services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(50)
    )
    benchmark = make_outside(alice, campaign, tree.hospital, [one])
    with pytest.raises(ValidationError) as error:
        selectors.benchmark_comparison(benchmark=benchmark, period=PERIOD, user=alice)
    assert "add up to 50" in error.value.messages[0]


def test_a_peer_in_ducha_gives_its_own_values_to_who_may_see_it(
    alice, dora, tree, campaign, scored, english
):
    satisfaction, complaints = scored
    benchmark = make_peer(dora, campaign, tree.hospital, tree.hospital2, scored)
    assert benchmark.name == "东湖区中医院"
    seen_by_alice = rows_of(
        selectors.benchmark_comparison(benchmark=benchmark, period=PERIOD, user=alice)
    )
    point = seen_by_alice["患者满意度"].current
    assert (point.benchmark, point.gap) == (Decimal("90.00"), Decimal("-10.00"))
    assert point.source == "Ducha's own data"
    # Dora's scope is her hospital: the other hospital's figures stay hidden from her.
    seen_by_dora = selectors.benchmark_comparison(benchmark=benchmark, period=PERIOD, user=dora)
    assert not seen_by_dora.peer_values_shown
    hidden = rows_of(seen_by_dora)["患者满意度"].current
    assert (hidden.own, hidden.benchmark, hidden.source) == (Decimal("80.00"), None, "")


def test_an_entered_value_wins_over_ducha_s_own(alice, dora, tree, campaign, scored):
    satisfaction, _complaints = scored
    benchmark = make_peer(alice, campaign, tree.hospital, tree.hospital2, scored)
    set_value(dora, benchmark, satisfaction, 88, source="中医院院务公开")
    for user in (alice, dora):
        point = rows_of(
            selectors.benchmark_comparison(benchmark=benchmark, period=PERIOD, user=user)
        )["患者满意度"].current
        assert (point.benchmark, point.source) == (Decimal("88.00"), "中医院院务公开")


# --- choosing a benchmark ------------------------------------------------------------------


def test_it_records_a_benchmark_with_its_indicators(alice, tree, campaign, indicators):
    benchmark = make_outside(alice, campaign, tree.hospital, indicators[:1])
    assert list(benchmark.indicators.all()) == [indicators[0]]
    entry = AuditEntry.objects.get(object_type="benchmarks.benchmark", action="create")
    assert entry.after["indicators"] == [indicators[0].pk]
    assert entry.after["name"] == "浙江省某县人民医院"


def test_a_double_click_does_not_duplicate_a_benchmark(alice, tree, campaign, indicators, english):
    make_outside(alice, campaign, tree.hospital, indicators)
    with pytest.raises(ValidationError) as error:
        make_outside(alice, campaign, tree.hospital, indicators, name=" 浙江省某县人民医院 ")
    assert error.value.message_dict == {"name": ["This unit already has this benchmark."]}
    make_peer(alice, campaign, tree.hospital, tree.hospital2, indicators)
    with pytest.raises(ValidationError) as error:
        make_peer(alice, campaign, tree.hospital, tree.hospital2, indicators)
    assert "benchmark_unit" in error.value.message_dict
    assert Benchmark.objects.count() == 2
    # Another unit may follow the same benchmark.
    make_outside(alice, campaign, tree.hospital2, indicators)
    assert Benchmark.objects.count() == 3


def test_the_database_refuses_a_duplicate_sent_at_once(alice, tree, campaign, indicators):
    benchmark = make_peer(alice, campaign, tree.hospital, tree.hospital2, indicators)
    with pytest.raises(IntegrityError), transaction.atomic():
        Benchmark.objects.create(
            campaign=campaign,
            unit=tree.hospital,
            kind=Benchmark.Kind.UNIT,
            benchmark_unit=tree.hospital2,
            name="另一个名字",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Benchmark.objects.create(
            campaign=campaign, unit=tree.hospital, kind=Benchmark.Kind.OUTSIDE, name=benchmark.name
        )


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("no_indicator", "indicators"),
        ("other_campaign_indicator", "indicators"),
        ("itself", "benchmark_unit"),
        ("peer_outside_campaign", "benchmark_unit"),
        ("peer_missing", "benchmark_unit"),
        ("outside_without_name", "name"),
        ("unit_outside_campaign", "unit"),
    ],
)
def test_it_refuses_a_bad_benchmark(admin, alice, tree, campaign, indicators, case, field):
    other = make_county_campaign(alice, tree, title="另一个活动")
    other_indicator = assessment_services.indicator_create(
        actor=alice, campaign=other, content="x", weight=Decimal(100)
    )
    args = {
        "actor": alice,
        "campaign": campaign,
        "unit": tree.hospital,
        "kind": Benchmark.Kind.UNIT,
        "benchmark_unit": tree.hospital2,
        "indicators": indicators,
    }
    args.update(
        {
            "no_indicator": {"indicators": []},
            "other_campaign_indicator": {"indicators": [indicators[0], other_indicator]},
            "itself": {"benchmark_unit": tree.hospital},
            "peer_outside_campaign": {"benchmark_unit": tree.other_hospital},
            "peer_missing": {"benchmark_unit": None},
            "outside_without_name": {"kind": Benchmark.Kind.OUTSIDE, "name": "  "},
            "unit_outside_campaign": {"unit": tree.department},
        }[case]
    )
    with pytest.raises(ValidationError) as error:
        services.benchmark_create(**args)
    assert field in error.value.message_dict
    assert not Benchmark.objects.exists()


def test_who_may_choose_benchmarks(alice, dora, sam, bob, carol, tree, campaign, indicators):
    make_outside(dora, campaign, tree.hospital, indicators)  # her own hospital
    for actor, unit in ((dora, tree.hospital2), (sam, tree.hospital), (bob, tree.hospital)):
        with pytest.raises(PermissionDenied):
            make_outside(actor, campaign, unit, indicators, name="别处")
    with pytest.raises(PermissionDenied):
        make_outside(carol, campaign, tree.hospital, indicators, name="别处")
    make_outside(alice, campaign, tree.hospital2, indicators)  # the campaign's office
    assert Benchmark.objects.count() == 2


def test_the_indicators_can_be_changed_and_a_benchmark_retired(alice, tree, campaign, indicators):
    benchmark = make_outside(alice, campaign, tree.hospital, indicators[:1])
    services.benchmark_update(
        actor=alice, benchmark=benchmark, indicators=indicators, note="新理由"
    )
    benchmark.refresh_from_db()
    assert benchmark.indicators.count() == 2 and benchmark.note == "新理由"
    services.benchmark_set_active(actor=alice, benchmark=benchmark, active=False)
    benchmark.refresh_from_db()
    assert not benchmark.is_active
    with pytest.raises(ValidationError):
        set_value(alice, benchmark, indicators[0], 80)
    assert not BenchmarkValue.objects.exists()
    entries = AuditEntry.objects.filter(object_type="benchmarks.benchmark", action="update")
    assert entries.count() == 2


# --- values --------------------------------------------------------------------------------


def test_entering_a_value_again_replaces_it_and_is_audited(alice, tree, campaign, indicators):
    satisfaction, _complaints = indicators
    benchmark = make_outside(alice, campaign, tree.hospital, indicators)
    set_value(alice, benchmark, satisfaction, 85)
    set_value(alice, benchmark, satisfaction, "86.25", source="更正后的通报")
    value = BenchmarkValue.objects.get()
    assert (value.value, value.source) == (Decimal("86.25"), "更正后的通报")
    entries = AuditEntry.objects.filter(object_type="benchmarks.benchmarkvalue").order_by("seq")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before["value"] == "85.00" and entries[1].after["value"] == "86.25"
    # The same value sent twice (a double click) changes nothing and logs nothing.
    set_value(alice, benchmark, satisfaction, "86.25", source="更正后的通报")
    assert BenchmarkValue.objects.count() == 1
    assert entries.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period": "2024-13"}, "period"),
        ({"period": "2024-3"}, "period"),
        ({"value": Decimal("100.5")}, "value"),
        ({"value": Decimal(-1)}, "value"),
        ({"source": "  "}, "source"),
        ({"indicator": "not chosen"}, "indicator"),
    ],
)
def test_it_refuses_a_bad_value(alice, tree, campaign, indicators, changes, field):
    satisfaction, complaints = indicators
    benchmark = make_outside(alice, campaign, tree.hospital, [satisfaction])
    args = {
        "actor": alice,
        "benchmark": benchmark,
        "indicator": satisfaction,
        "period": PERIOD,
        "value": Decimal(80),
        "source": "通报",
        **changes,
    }
    if args["indicator"] == "not chosen":
        args["indicator"] = complaints
    with pytest.raises(ValidationError) as error:
        services.benchmark_value_set(**args)
    assert field in error.value.message_dict
    assert not BenchmarkValue.objects.exists()


def test_who_may_enter_values(alice, dora, sam, carol, tree, campaign, indicators):
    benchmark = make_outside(alice, campaign, tree.hospital, indicators)
    for actor in (sam, carol):
        with pytest.raises(PermissionDenied):
            set_value(actor, benchmark, indicators[0], 80)
    set_value(dora, benchmark, indicators[0], 80)
    other = make_outside(alice, campaign, tree.hospital2, indicators)
    with pytest.raises(PermissionDenied):
        set_value(dora, other, indicators[0], 80)
    assert BenchmarkValue.objects.count() == 1


# --- measures ------------------------------------------------------------------------------


def test_a_measure_is_added_once_and_marked_done(alice, dora, sam, tree, campaign, indicators):
    benchmark = make_outside(alice, campaign, tree.hospital, indicators)
    measure = services.benchmark_measure_create(
        actor=dora,
        benchmark=benchmark,
        text="推行预约诊疗，缩短候诊时间",
        responsible_person="王院长",
        indicator=indicators[0],
    )
    with pytest.raises(ValidationError):  # the same measure sent twice
        services.benchmark_measure_create(
            actor=dora,
            benchmark=benchmark,
            text="推行预约诊疗，缩短候诊时间 ",
            responsible_person="王院长",
        )
    assert BenchmarkMeasure.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.benchmark_measure_done(actor=sam, measure=measure)
    services.benchmark_measure_done(actor=dora, measure=measure)
    services.benchmark_measure_done(actor=dora, measure=measure)
    measure.refresh_from_db()
    assert measure.is_done and measure.done_at is not None
    entries = AuditEntry.objects.filter(object_type="benchmarks.benchmarkmeasure")
    assert sorted(e.action for e in entries) == ["create", "update"]
    assert entries.get(action="update").after["status"] == "done"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": " "}, "text"),
        ({"responsible_person": ""}, "responsible_person"),
        ({"indicator": "not chosen"}, "indicator"),
        ({"text": "长" * 501}, "text"),
    ],
)
def test_it_refuses_a_bad_measure(alice, tree, campaign, indicators, changes, field):
    benchmark = make_outside(alice, campaign, tree.hospital, indicators[:1])
    args = {
        "actor": alice,
        "benchmark": benchmark,
        "text": "每月对标分析",
        "responsible_person": "王院长",
        **changes,
    }
    if args.get("indicator") == "not chosen":
        args["indicator"] = indicators[1]
    with pytest.raises(ValidationError) as error:
        services.benchmark_measure_create(**args)
    assert field in error.value.message_dict
    assert not BenchmarkMeasure.objects.exists()
