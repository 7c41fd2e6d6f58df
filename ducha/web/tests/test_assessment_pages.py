from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.assessment import services
from ducha.assessment.models import Indicator, ManualScore
from ducha.audit.models import AuditEntry
from ducha.campaigns.tests.factories import make_county_campaign


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


def test_alice_adds_an_indicator(client, alice, campaign):
    client.force_login(alice)
    response = client.post(
        reverse("assessment-indicator-list", args=[campaign.pk]),
        {
            "content": "候诊时间",
            "standard": "门诊候诊不超过15分钟",
            "method": "on_site",
            "weight": "20",
            "target": "≤ 15分钟",
            "comparator": "lte",
            "target_value": "15",
            "computed_source": "none",
            "veto": "on",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert (indicator.comparator, indicator.target_value, indicator.veto) == (
        "lte",
        Decimal("15.00"),
        True,
    )
    assert AuditEntry.objects.filter(object_id=str(indicator.pk), action="create").exists()


def test_the_ranking_page_shows_missing_as_a_dash(client, alice, tree, campaign, indicators):
    services.manual_score_set(
        actor=alice,
        indicator=indicators[0],
        unit=tree.hospital,
        period="2024-03",
        value=Decimal(80),
        evidence="台账",
    )
    client.force_login(alice)
    response = client.get(reverse("assessment-ranking", args=[campaign.pk]), {"period": "2024-03"})
    assert response.status_code == 200
    rows = {r.unit.pk: r for r in response.context["ranking"].rows}
    assert rows[tree.hospital.pk].score == Decimal("80.00")
    assert rows[tree.hospital2.pk].score is None
    content = response.content.decode()
    assert 'id="ranking-data"' in content
    assert "—" in content


def test_the_ranking_page_says_when_weights_do_not_add_up(client, alice, campaign, english):
    services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(50)
    )
    client.force_login(alice)
    response = client.get(reverse("assessment-ranking", args=[campaign.pk]), {"period": "2024-03"})
    assert response.status_code == 200
    assert response.context["ranking"] is None
    assert "add up to 50" in response.context["error"]


def test_alice_scores_a_unit_by_hand(client, alice, tree, campaign, indicators):
    client.force_login(alice)
    response = client.post(
        reverse("assessment-score-set", args=[campaign.pk]),
        {
            "indicator": indicators[1].pk,
            "unit": tree.hospital2.pk,
            "period": "2024-03",
            "value": "92.5",
            "evidence": "暗访记录",
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("?period=2024-03")
    assert ManualScore.objects.get().value == Decimal("92.50")


def test_it_refuses_other_county_and_the_assessed_unit(
    client, alice, dora, carol, tree, campaign, indicators
):
    url = reverse("assessment-ranking", args=[campaign.pk])
    for user, expected in ((alice, 200), (dora, 403), (carol, 404)):
        client.force_login(user)
        assert client.get(url, {"period": "2024-03"}).status_code == expected
    for user, expected in ((dora, 403), (carol, 404)):
        client.force_login(user)
        response = client.post(
            reverse("assessment-score-set", args=[campaign.pk]),
            {
                "indicator": indicators[0].pk,
                "unit": tree.hospital.pk,
                "period": "2024-03",
                "value": "100",
                "evidence": "自评",
            },
        )
        assert response.status_code == expected
    assert not ManualScore.objects.exists()


def test_the_ranking_runs_a_fixed_number_of_queries(
    client, alice, tree, campaign, indicators, django_assert_num_queries
):
    client.force_login(alice)
    url = reverse("assessment-ranking", args=[campaign.pk])
    client.get(url, {"period": "2024-03"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"period": "2024-03"})
    for unit in (tree.hospital, tree.hospital2):
        for indicator in indicators:
            services.manual_score_set(
                actor=alice,
                indicator=indicator,
                unit=unit,
                period="2024-03",
                value=Decimal(70),
                evidence="台账",
            )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url, {"period": "2024-03"})


def test_the_pages_render_for_the_office(client, alice, campaign, indicators):
    client.force_login(alice)
    for name in (
        "assessment-indicator-list",
        "assessment-ranking",
        "inspections-round-create",
        "inspections-bulletin-list",
        "inspections-round-list",
    ):
        response = client.get(reverse(name, args=[campaign.pk]))
        assert response.status_code == 200, name
    page = client.get(reverse("assessment-indicator-list", args=[campaign.pk])).content.decode()
    assert "制度建设" in page and "data-weight-total" not in page


def test_alice_follows_up_the_bottom_ranked_and_sees_the_trend(
    client, alice, tree, campaign, indicators
):
    from ducha.assessment.models import FollowUp

    for period, values in (("2024-02", (50, 70)), ("2024-03", (90, 60))):
        for unit, value in zip((tree.hospital, tree.hospital2), values, strict=True):
            for indicator in indicators:
                services.manual_score_set(
                    actor=alice,
                    indicator=indicator,
                    unit=unit,
                    period=period,
                    value=Decimal(value),
                    evidence="台账",
                )
    client.force_login(alice)
    url = reverse("assessment-follow-up-create", args=[campaign.pk])
    data = {"period": "2024-03", "kind": "admonition_talk", "note": "局长约谈院长"}
    refused = client.post(url, {**data, "unit": tree.hospital.pk})  # ranked first
    assert refused.status_code == 302
    assert not FollowUp.objects.exists()
    response = client.post(url, {**data, "unit": tree.hospital2.pk})
    assert response.status_code == 302
    assert FollowUp.objects.get().unit == tree.hospital2
    page = client.get(reverse("assessment-ranking", args=[campaign.pk]), {"period": "2024-03"})
    rows = {r.unit.pk: r for r in page.context["ranking"].rows}
    assert [v for _m, v in rows[tree.hospital.pk].trend] == [
        None,
        None,
        None,
        None,
        Decimal("50.00"),
        Decimal("90.00"),
    ]
    assert "局长约谈院长" in page.content.decode()


def test_an_imported_table_with_an_unknown_unit_writes_nothing(
    client, alice, tree, campaign, indicators, english
):
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["单位", "得分", "依据"])
    workbook.active.append(["H01", 90, "台账"])
    workbook.active.append(["H99", 80, "台账"])
    data = io.BytesIO()
    workbook.save(data)
    client.force_login(alice)
    url = reverse("assessment-score-import", args=[campaign.pk])

    def post():
        return client.post(
            url,
            {
                "indicator": indicators[0].pk,
                "period": "2024-03",
                "file": SimpleUploadedFile("scores.xlsx", data.getvalue()),
            },
            follow=True,
        )

    response = post()
    assert "Row 3: unknown unit “H99”." in response.content.decode()
    assert not ManualScore.objects.exists()
    workbook.active.delete_rows(3)
    data = io.BytesIO()
    workbook.save(data)
    post()
    assert ManualScore.objects.get().unit == tree.hospital


def test_the_ranking_page_draws_the_heat_map_and_trend_and_links_each_number(
    client, alice, tree, campaign, indicators
):
    for period, value in (("2024-02", 60), ("2024-03", 80)):
        services.manual_score_set(
            actor=alice,
            indicator=indicators[0],
            unit=tree.hospital,
            period=period,
            value=Decimal(value),
            evidence=f"{period}台账",
        )
    client.force_login(alice)
    response = client.get(reverse("assessment-ranking", args=[campaign.pk]), {"period": "2024-03"})
    data = response.context["chart_data"]
    hospital_row = data["heat"]["units"].index("东湖区人民医院")
    # One heat cell: the hospital's hand score; the missing second indicator has none.
    assert data["heat"]["cells"] == [[0, hospital_row, 80.0, 80.0]]
    assert data["trend"]["months"] == [
        "2023-10",
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
    ]
    series = {s["name"]: s["data"] for s in data["trend"]["series"]}
    assert series["东湖区人民医院"] == [None, None, None, None, 60.0, 80.0]
    history = reverse("assessment-score-history", args=[campaign.pk])
    link = (
        f'href="{history}?period=2024-03&amp;unit={tree.hospital.pk}'
        f'&amp;indicator={indicators[0].pk}"'
    )
    assert link in response.content.decode()
    # The link leads to the score and its evidence, and only that month's.
    page = client.get(
        history, {"period": "2024-03", "unit": tree.hospital.pk, "indicator": indicators[0].pk}
    )
    assert [s.evidence for s in page.context["scores"]] == ["2024-03台账"]
    assert "2024-03台账" in page.content.decode()
    assert "2024-02台账" not in page.content.decode()


def test_a_lower_is_better_indicator_earns_the_complement_on_the_heat_map(tree):
    from ducha.assessment.scoring import Cell, Ranking, UnitScore
    from ducha.web.views.assessment import _heat_map

    overdue = Indicator(content="整改超期率", weight=Decimal(50), computed_source="overdue_rate")
    manual = Indicator(content="制度建设", weight=Decimal(50))
    row = UnitScore(
        unit=tree.hospital,
        cells=[
            Cell(indicator=overdue, value=Decimal(20), met=None),
            Cell(indicator=manual, value=Decimal(70), met=None),
        ],
        score=Decimal(75),
        incomplete=False,
        failed=False,
    )
    heat = _heat_map(
        Ranking(campaign=None, period="2024-03", indicators=[overdue, manual], rows=[row])
    )
    # 20% overdue earns 80 points; the label still shows the 20 that was measured.
    assert heat["cells"] == [[0, 0, 80.0, 20.0], [1, 0, 70.0, 70.0]]


def test_the_indicator_table_downloads_and_imports_from_the_page(
    client, alice, dora, carol, tree, campaign, indicators, english
):
    export = reverse("assessment-indicator-export", args=[campaign.pk])
    client.force_login(alice)
    response = client.get(export)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="export", object_id=str(campaign.pk)).exists()
    content = response.content
    # Changing a weight so the total is no longer 100 is refused whole, with a message.
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook.active["E2"] = 70
    changed = io.BytesIO()
    workbook.save(changed)
    url = reverse("assessment-indicator-import", args=[campaign.pk])
    upload = SimpleUploadedFile("指标.xlsx", changed.getvalue())
    response = client.post(url, {"file": upload}, follow=True)
    assert "add up to 110.00, not 100" in response.content.decode()
    assert campaign.indicators.get(content="制度建设").weight == Decimal(60)
    workbook.active["E3"] = 30
    changed = io.BytesIO()
    workbook.save(changed)
    upload = SimpleUploadedFile("指标.xlsx", changed.getvalue())
    response = client.post(url, {"file": upload}, follow=True)
    assert "2 indicators were imported." in response.content.decode()
    assert campaign.indicators.get(content="制度建设").weight == Decimal(70)
    for user, expected in ((dora, 403), (carol, 404)):
        client.force_login(user)
        upload = SimpleUploadedFile("指标.xlsx", content)
        assert client.post(url, {"file": upload}).status_code == expected
    assert client.get(export).status_code == 404  # carol
