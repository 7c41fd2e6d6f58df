"""Builders the benchmark tests share: a county campaign with two hand-scored indicators,
one of them "at most" (lower is better), and the hospitals' scores of March 2024."""

import io
from decimal import Decimal

import openpyxl

from ducha.assessment import services as assessment_services
from ducha.benchmarks import services
from ducha.benchmarks.models import Benchmark

PERIOD = "2024-03"


def make_indicators(alice, campaign):
    """满意度 (60, higher is better) and 投诉率 (40, at most 5: lower is better)."""
    satisfaction = assessment_services.indicator_create(
        actor=alice, campaign=campaign, content="患者满意度", weight=Decimal(60), order=1
    )
    complaints = assessment_services.indicator_create(
        actor=alice,
        campaign=campaign,
        content="投诉率",
        weight=Decimal(40),
        order=2,
        comparator="lte",
        target_value=Decimal(5),
    )
    return satisfaction, complaints


def score(alice, indicator, unit, value, period=PERIOD):
    return assessment_services.manual_score_set(
        actor=alice,
        indicator=indicator,
        unit=unit,
        period=period,
        value=Decimal(value),
        evidence="台账",
    )


def make_outside(actor, campaign, unit, indicators, name="浙江省某县人民医院"):
    return services.benchmark_create(
        actor=actor,
        campaign=campaign,
        unit=unit,
        kind=Benchmark.Kind.OUTSIDE,
        name=name,
        indicators=indicators,
        note="省内先进",
    )


def make_peer(actor, campaign, unit, peer, indicators):
    return services.benchmark_create(
        actor=actor,
        campaign=campaign,
        unit=unit,
        kind=Benchmark.Kind.UNIT,
        benchmark_unit=peer,
        indicators=indicators,
    )


def xlsx(rows, header=("指标", "月份", "数值", "来源")) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out
