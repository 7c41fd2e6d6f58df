"""The demo campaign's indicator system and hand scores (目标分解表), so that the ranking, the
heat map and the trend have something to show: `ducha load_demo` calls add_assessment_demo."""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from . import services
from .models import Indicator
from .scoring import assessed_units

# (content, standard, method or computed source, weight, target, comparator, value, veto)
INDICATORS = [
    ("报送及时率", "按时报送方案、总结等材料", Indicator.Source.TIMELINESS, 20, "≥ 95%", "gte", 95, True),
    ("整改销号率", "发现问题按期整改销号", Indicator.Source.CLOSURE_RATE, 15, "≥ 80%", "gte", 80, False),
    ("整改超期率", "整改不超过期限", Indicator.Source.OVERDUE_RATE, 10, "≤ 10%", "lte", 10, False),
    ("走访定额完成率", "每人走访不少于规定户数", Indicator.Source.QUOTA_ATTAINMENT, 15, "≥ 90%", "gte", 90, False),
    ("督查无问题率", "月度督查未发现问题", Indicator.Source.INSPECTION_FINDINGS, 10, "", "", None, False),
    ("群众满意度测评", "群众满意率不低于80%", Indicator.Method.QUESTIONNAIRE, 20, "≥ 80分", "gte", 80, False),
    ("制度建设与台账", "制度上墙、台账完整规范", Indicator.Method.MATERIAL_REVIEW, 10, "", "", None, False),
]  # fmt: skip
MONTHS = ["2012-05", "2012-06", "2012-07"]


def add_assessment_demo(campaign, *, seed: int = 2012) -> int:
    """Add the indicators (once) and the hand scores of three months; returns the scores."""
    office = get_user_model().objects.get(username="office")
    rng = random.Random(seed)
    with transaction.atomic():
        if not campaign.indicators.exists():
            for content, standard, how, weight, target, comparator, value, veto in INDICATORS:
                computed = how in Indicator.Source.values
                services.indicator_create(
                    actor=office,
                    campaign=campaign,
                    content=content,
                    standard=standard,
                    weight=Decimal(weight),
                    method=Indicator.Method.COMPUTED if computed else how,
                    computed_source=how if computed else Indicator.Source.NONE,
                    target=target,
                    comparator=comparator,
                    target_value=None if value is None else Decimal(value),
                    veto=veto,
                    leader="蒋海峰",
                )
        manual = list(campaign.indicators.filter(computed_source=Indicator.Source.NONE))
        count = 0
        for unit in assessed_units(campaign):
            level = rng.uniform(72, 95)
            for month in MONTHS:
                level = min(100, max(55, level + rng.uniform(-6, 6)))
                for indicator in manual:
                    services.manual_score_set(
                        actor=office,
                        indicator=indicator,
                        unit=unit,
                        period=month,
                        value=Decimal(str(round(level + rng.uniform(-5, 5), 1))).min(Decimal(100)),
                        evidence=f"{month}月度督查查阅台账、现场测评",
                    )
                    count += 1
    return count
