from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.assessment import services as assessment_services
from ducha.benchmarks import services
from ducha.benchmarks.models import Benchmark, BenchmarkMeasure, BenchmarkValue

from .factories import PERIOD, make_outside, make_peer, xlsx


@pytest.fixture
def benchmark(alice, tree, campaign, scored):
    return make_outside(alice, campaign, tree.hospital, scored)


def detail(benchmark, period=PERIOD):
    return f"{reverse('benchmarks-detail', args=[benchmark.pk])}?period={period}"


def test_the_list_shows_the_benchmarks_in_scope(
    client, alice, dora, sam, carol, tree, campaign, indicators
):
    make_outside(alice, campaign, tree.hospital, indicators)
    make_outside(alice, campaign, tree.hospital2, indicators, name="上海某区中医院")
    url = reverse("benchmarks-list", args=[campaign.pk])
    client.force_login(dora)
    response = client.get(url)
    assert response.status_code == 200
    assert [b.name for b in response.context["benchmarks"]] == ["浙江省某县人民医院"]
    # Dora adds benchmarks for her own hospital only.
    assert list(response.context["form"].fields["unit"].queryset) == [tree.hospital]
    client.force_login(alice)
    response = client.get(url)
    assert len(response.context["benchmarks"]) == 2
    assert set(response.context["form"].fields["unit"].queryset) == {tree.hospital, tree.hospital2}
    client.force_login(sam)
    response = client.get(url)
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(url, {"unit": tree.hospital.pk}).status_code == 403
    client.force_login(carol)
    assert client.get(url).status_code == 404


def test_the_list_takes_the_same_queries_for_more_benchmarks(
    client, alice, tree, campaign, indicators
):
    url = reverse("benchmarks-list", args=[campaign.pk])
    client.force_login(alice)
    make_outside(alice, campaign, tree.hospital, indicators)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        make_outside(alice, campaign, tree.hospital2, indicators, name=f"标杆{n}")
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert len(response.context["benchmarks"]) == 4
    assert len(four) == len(one)


def test_dora_adds_an_outside_benchmark(client, dora, tree, campaign, indicators):
    client.force_login(dora)
    response = client.post(
        reverse("benchmarks-list", args=[campaign.pk]),
        {
            "unit": tree.hospital.pk,
            "kind": "outside",
            "name": "浙江省某县人民医院",
            "note": "省级文明单位",
            "indicators": [i.pk for i in indicators],
        },
    )
    benchmark = Benchmark.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("benchmarks-detail", args=[benchmark.pk])
    assert (benchmark.unit, benchmark.name, benchmark.created_by) == (
        tree.hospital,
        "浙江省某县人民医院",
        dora,
    )


def test_a_refused_benchmark_keeps_the_input(client, dora, tree, campaign, indicators, english):
    client.force_login(dora)
    url = reverse("benchmarks-list", args=[campaign.pk])
    response = client.post(
        url,
        {"unit": tree.hospital.pk, "kind": "outside", "name": "", "note": "理由", "indicators": []},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "indicators" in form.errors
    content = response.content.decode()
    assert "理由" in content
    response = client.post(
        url,
        {
            "unit": tree.hospital.pk,
            "kind": "unit",
            "benchmark_unit": tree.hospital.pk,
            "indicators": [indicators[0].pk],
        },
    )
    assert response.context["form"].errors["benchmark_unit"] == [
        "A unit can't be its own benchmark."
    ]
    # Another unit than her own is no choice of hers.
    response = client.post(
        url,
        {
            "unit": tree.hospital2.pk,
            "kind": "outside",
            "name": "别处",
            "indicators": [indicators[0].pk],
        },
    )
    assert "unit" in response.context["form"].errors
    assert not Benchmark.objects.exists()


def test_the_page_shows_the_gap_and_the_trend(client, alice, benchmark, scored):
    satisfaction, complaints = scored
    services.benchmark_value_set(
        actor=alice,
        benchmark=benchmark,
        indicator=satisfaction,
        period=PERIOD,
        value=Decimal("85"),
        source="省卫健委2024年3月通报",
    )
    client.force_login(alice)
    response = client.get(detail(benchmark))
    assert response.status_code == 200
    rows = {r.indicator.pk: r.current for r in response.context["comparison"].rows}
    assert rows[satisfaction.pk].gap == Decimal("-5.00")
    assert rows[complaints.pk].gap is None
    content = response.content.decode()
    assert f'data-indicator-id="{satisfaction.pk}" data-position="behind"' in content
    assert "省卫健委2024年3月通报" in content
    assert 'id="benchmark-data"' in content and "js/benchmarks.js" in content
    assert response.context["chart_data"]["periods"][-1] == PERIOD
    assert response.context["value_form"] is not None


def test_the_page_says_when_the_weights_do_not_add_up(client, alice, tree, campaign, english):
    one = assessment_services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(30)
    )
    benchmark = make_outside(alice, campaign, tree.hospital, [one])
    client.force_login(alice)
    response = client.get(detail(benchmark))
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "add up to 30" in response.context["error"]
    assert "data-gap-error" in response.content.decode()


def test_a_bad_month_is_shown_on_the_period_field(client, alice, benchmark):
    client.force_login(alice)
    response = client.get(detail(benchmark, period="2024-3"))
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "period" in response.context["period_form"].errors


def test_a_peer_s_values_are_not_shown_outside_the_viewer_s_scope(
    client, alice, dora, tree, campaign, scored
):
    benchmark = make_peer(dora, campaign, tree.hospital, tree.hospital2, scored)
    client.force_login(dora)
    response = client.get(detail(benchmark))
    content = response.content.decode()
    assert "data-peer-hidden" in content
    assert "90.00" not in content  # 东湖区中医院's own score
    client.force_login(alice)
    content = client.get(detail(benchmark)).content.decode()
    assert "data-peer-hidden" not in content and "90.00" in content


def test_dora_enters_a_value(client, dora, benchmark, scored):
    client.force_login(dora)
    response = client.post(
        reverse("benchmarks-value-set", args=[benchmark.pk]) + "?period=2024-02",
        {"indicator": scored[0].pk, "period": PERIOD, "value": "88.5", "source": "通报"},
    )
    assert response.status_code == 302
    assert response.url == detail(benchmark)
    assert BenchmarkValue.objects.get().value == Decimal("88.50")


def test_a_refused_value_keeps_the_input(client, dora, benchmark, scored, english):
    client.force_login(dora)
    response = client.post(
        reverse("benchmarks-value-set", args=[benchmark.pk]) + f"?period={PERIOD}",
        {"indicator": scored[0].pk, "period": "2024-13", "value": "120", "source": ""},
    )
    assert response.status_code == 200
    errors = response.context["value_form"].errors
    assert set(errors) == {"period", "value", "source"}
    assert errors["period"] == ["Give the month as YYYY-MM."]
    assert 'value="120"' in response.content.decode()
    assert not BenchmarkValue.objects.exists()


def test_viewers_may_not_write_and_others_see_nothing(client, sam, carol, benchmark, scored):
    url = reverse("benchmarks-value-set", args=[benchmark.pk])
    data = {"indicator": scored[0].pk, "period": PERIOD, "value": "80", "source": "通报"}
    client.force_login(sam)
    assert client.get(detail(benchmark)).status_code == 200
    assert client.get(detail(benchmark)).context["value_form"] is None
    assert client.post(url, data).status_code == 403
    client.force_login(carol)
    assert client.get(detail(benchmark)).status_code == 404
    assert client.post(url, data).status_code == 404
    assert client.get(reverse("benchmarks-template", args=[benchmark.pk])).status_code == 404
    assert not BenchmarkValue.objects.exists()


def upload(content, name="values.xlsx"):
    return SimpleUploadedFile(name, content)


def test_a_table_is_imported_or_refused_with_its_rows_named(client, alice, benchmark, english):
    client.force_login(alice)
    url = reverse("benchmarks-import", args=[benchmark.pk]) + f"?period={PERIOD}"
    bad = xlsx([["患者满意度", PERIOD, 90, "通报"], ["无此指标", PERIOD, 90, "通报"]]).getvalue()
    response = client.post(url, {"file": upload(bad)})
    assert response.status_code == 200
    assert response.context["import_form"].errors["file"] == [
        "Row 3: unknown indicator “无此指标”."
    ]
    assert "Row 3: unknown indicator" in response.content.decode()
    response = client.post(url, {})  # no file chosen: said so, not a silent redirect
    assert response.status_code == 200
    assert response.context["import_form"].errors["file"] == ["This field is required."]
    response = client.post(url, {"file": upload(b"not a workbook", "values.xlsx")})
    assert response.context["import_form"].errors["file"] == ["This is not an .xlsx workbook."]
    assert not BenchmarkValue.objects.exists()
    good = xlsx([["患者满意度", PERIOD, 90, "通报"], ["投诉率", PERIOD, 3, "通报"]]).getvalue()
    response = client.post(url, {"file": upload(good)})
    assert response.status_code == 302
    assert BenchmarkValue.objects.count() == 2


def test_the_template_downloads(client, dora, benchmark):
    client.force_login(dora)
    response = client.get(reverse("benchmarks-template", args=[benchmark.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in workbook.worksheets[0][1]] == ["指标", "月份", "数值", "来源"]


def test_measures_are_added_and_marked_done(client, dora, sam, benchmark, scored, english):
    client.force_login(dora)
    url = reverse("benchmarks-measure-create", args=[benchmark.pk]) + f"?period={PERIOD}"
    response = client.post(
        url, {"text": "", "responsible_person": "王院长", "due_on": "2024-06-30"}
    )
    assert response.status_code == 200
    assert "text" in response.context["measure_form"].errors
    assert 'value="王院长"' in response.content.decode()
    data = {
        "text": "推行预约诊疗",
        "indicator": scored[0].pk,
        "responsible_person": "王院长",
        "due_on": "2024-06-30",
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)  # a double click
    assert response.context["measure_form"].errors["text"] == [
        "This measure is already on the list."
    ]
    measure = BenchmarkMeasure.objects.get()
    content = client.get(detail(benchmark)).content.decode()
    assert f'data-measure-id="{measure.pk}" data-status="adopted"' in content
    done = reverse("benchmarks-measure-done", args=[benchmark.pk, measure.pk])
    client.force_login(sam)
    assert client.post(done).status_code == 403
    client.force_login(dora)
    assert client.post(done).status_code == 302
    measure.refresh_from_db()
    assert measure.is_done


def test_the_indicators_are_changed_and_the_benchmark_retired(client, alice, benchmark, scored):
    client.force_login(alice)
    response = client.post(
        reverse("benchmarks-edit", args=[benchmark.pk]), {"indicators": [], "note": "x"}
    )
    assert response.status_code == 200 and "indicators" in response.context["edit_form"].errors
    response = client.post(
        reverse("benchmarks-edit", args=[benchmark.pk]),
        {"indicators": [scored[1].pk], "note": "只比投诉率"},
    )
    assert response.status_code == 302
    assert list(benchmark.indicators.all()) == [scored[1]]
    client.post(reverse("benchmarks-active-set", args=[benchmark.pk]), {"active": "0"})
    benchmark.refresh_from_db()
    assert not benchmark.is_active
    response = client.get(detail(benchmark))
    assert response.context["value_form"] is None and response.context["measure_form"] is None
