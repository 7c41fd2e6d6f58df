"""Shared setup of the assessment tests: two indicators scored by hand for the two county
hospitals in March 2024 (the ranking the appeal tests publish and appeal against)."""

from decimal import Decimal

from ducha.assessment import services

PERIOD = "2024-03"
# A minimal PNG header: accepted as an image by the upload checks.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def scored_indicators(alice, tree, campaign):
    """制度建设 (60) and 服务态度 (40): hospital 70/70, hospital2 90/80."""
    a = services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(60)
    )
    b = services.indicator_create(
        actor=alice, campaign=campaign, content="服务态度", weight=Decimal(40)
    )
    for unit, (va, vb) in {tree.hospital: (70, 70), tree.hospital2: (90, 80)}.items():
        for indicator, value in ((a, va), (b, vb)):
            services.manual_score_set(
                actor=alice,
                indicator=indicator,
                unit=unit,
                period=PERIOD,
                value=Decimal(value),
                evidence="检查台账",
            )
    return a, b
