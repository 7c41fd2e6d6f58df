"""The demo's supervision side (DOMAIN §9, §10, §12), on the 2012 story's dates: June's
joint inspection with its findings, the June bulletin drafted, June's scores published, and
宁溪中心卫生院 benchmarking itself against a neighbouring district. `ducha load_demo` calls
add_supervision_demo after the indicators and hand scores (ducha.assessment.demo)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from ducha.assessment import releases
from ducha.assessment.models import Indicator
from ducha.benchmarks import services as benchmark_services
from ducha.benchmarks.models import Benchmark
from ducha.inspections import services as inspection_services
from ducha.orgs.models import OrgUnit
from ducha.problems.models import Problem

from . import demo_data as data

CST = datetime.timezone(datetime.timedelta(hours=8))
INSPECTED = datetime.datetime(2012, 6, 14, 15, 0, tzinfo=CST)
DRAFTED = datetime.datetime(2012, 7, 2, 9, 0, tzinfo=CST)
PUBLISHED = datetime.datetime(2012, 7, 3, 9, 0, tzinfo=CST)
# (unit short code, what the inspectors found, severity)
FINDINGS = [
    ("HY-NX", "门诊大厅无导医，群众反映挂号排队时间长。", Problem.Severity.MINOR),
    ("HY-NX", "工作人员上班时间玩手机游戏。", Problem.Severity.SERIOUS),
    ("HY-ZYY", "岗位职责、服务承诺未公开上墙。", Problem.Severity.MINOR),
]
INSPECTED_UNITS = ["HY-NX", "HY-ZYY", "HY-FY", "HY-SB"]
OUTSIDE = "台州市路桥区卫生局"
OUTSIDE_SOURCE = "路桥区卫生局2012年作风建设专项活动通报"
OUTSIDE_VALUES = {"报送及时率": 98, "群众满意度测评": 91}


def add_supervision_demo(campaign, story_time) -> None:
    office = get_user_model().objects.get(username="office")
    units = {u.code: u for u in OrgUnit.objects.filter(path__startswith=campaign.unit.path)}
    inspected = [units[code] for code in INSPECTED_UNITS if code in units]
    with story_time(INSPECTED):
        inspection_round = inspection_services.inspection_round_create(
            actor=office,
            campaign=campaign,
            title="6月份作风建设专项督查",
            date=INSPECTED.date(),
            units=inspected,
            bodies="局纪委\n局办公室\n医政科",
            checklist=["服务态度", "劳动纪律", "政务公开", "群众满意度"],
        )
        for code, text, severity in FINDINGS:
            if code in units:
                inspection_services.finding_record(
                    actor=office,
                    inspection_round=inspection_round,
                    unit=units[code],
                    text=text,
                    severity=severity,
                )
    with story_time(DRAFTED):
        inspection_services.bulletin_draft(actor=office, campaign=campaign, period="2012-06")
    with story_time(PUBLISHED):
        releases.release_publish(
            actor=office,
            campaign=campaign,
            period="2012-06",
            appeal_deadline=PUBLISHED.date() + datetime.timedelta(days=7),
        )
        _benchmark(campaign, office, units.get(data.STORY_UNIT))


def _benchmark(campaign, office, unit) -> None:
    if unit is None:
        return
    compared = list(campaign.indicators.filter(content__in=OUTSIDE_VALUES))
    if not compared:
        return
    benchmark = benchmark_services.benchmark_create(
        actor=office,
        campaign=campaign,
        unit=unit,
        kind=Benchmark.Kind.OUTSIDE,
        name=OUTSIDE,
        indicators=compared,
        note="路桥区作风建设专项活动走在全市前列，报送及时、群众满意度高。",
    )
    for indicator in compared:
        for n, month in enumerate(("2012-05", "2012-06", "2012-07")):
            benchmark_services.benchmark_value_set(
                actor=office,
                benchmark=benchmark,
                indicator=indicator,
                period=month,
                value=Decimal(OUTSIDE_VALUES[indicator.content] + n),
                source=OUTSIDE_SOURCE,
            )
    timeliness = next(i for i in compared if i.computed_source == Indicator.Source.TIMELINESS)
    benchmark_services.benchmark_measure_create(
        actor=office,
        benchmark=benchmark,
        indicator=timeliness,
        text="指定专人负责材料报送，报送前一天由办公室提醒，逾期报送纳入科室考核。",
        responsible_person="王建国",
        due_on=datetime.date(2012, 7, 31),
    )
