import json
from decimal import Decimal

import pytest

from ducha.assessment.models import Indicator
from ducha.benchmarks.models import Benchmark, BenchmarkMeasure, BenchmarkValue

from .factories import PERIOD, make_outside, make_peer

URL = "/api/benchmarks"


@pytest.fixture
def api(client):
    """api(user) → get/post speaking JSON as `user` (session auth)."""

    class Client:
        def __init__(self, user):
            client.logout()
            client.force_login(user)

        def get(self, path, params=None):
            return client.get(path, params or {})

        def post(self, path, data=None):
            return client.post(path, json.dumps(data or {}), content_type="application/json")

    return Client


@pytest.fixture
def benchmark(alice, tree, campaign, scored):
    return make_outside(alice, campaign, tree.hospital, scored)


def test_dora_chooses_a_benchmark_and_reads_the_gap(api, dora, tree, campaign, scored):
    satisfaction, complaints = scored
    client = api(dora)
    created = client.post(
        f"{URL}/campaigns/{campaign.pk}/benchmarks",
        {
            "unit_id": tree.hospital.pk,
            "kind": "outside",
            "name": "浙江省某县人民医院",
            "indicator_ids": [satisfaction.pk, complaints.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["indicator_ids"] == [satisfaction.pk, complaints.pk]
    benchmark_id = body["id"]
    value = client.post(
        f"{URL}/{benchmark_id}/values",
        {"indicator_id": complaints.pk, "period": PERIOD, "value": "6", "source": "省通报"},
    )
    assert value.status_code == 200, value.content
    detail = client.get(f"{URL}/{benchmark_id}", {"period": PERIOD})
    assert detail.status_code == 200
    rows = {r["indicator_id"]: r for r in detail.json()["rows"]}
    assert rows[complaints.pk]["lower_is_better"]
    current = rows[complaints.pk]["current"]
    assert Decimal(current["gap"]) == Decimal(4) and current["position"] == "behind"
    assert current["source"] == "省通报"
    assert rows[satisfaction.pk]["current"]["benchmark"] is None
    assert rows[satisfaction.pk]["current"]["gap"] is None
    assert len(rows[satisfaction.pk]["trend"]) == 6
    listed = client.get(f"{URL}/campaigns/{campaign.pk}/benchmarks").json()
    assert [b["id"] for b in listed] == [benchmark_id]


def test_measures_are_added_and_done(api, dora, benchmark, scored):
    client = api(dora)
    created = client.post(
        f"{URL}/{benchmark.pk}/measures",
        {"text": "推行预约诊疗", "responsible_person": "王院长", "indicator_id": scored[0].pk},
    )
    assert created.status_code == 201, created.content
    measure_id = created.json()["id"]
    again = client.post(
        f"{URL}/{benchmark.pk}/measures", {"text": "推行预约诊疗", "responsible_person": "王院长"}
    )
    assert again.status_code == 422 and "text" in again.json()["detail"]
    done = client.post(f"{URL}/{benchmark.pk}/measures/{measure_id}/done")
    assert done.status_code == 200 and done.json()["status"] == "done"
    detail = client.get(f"{URL}/{benchmark.pk}", {"period": PERIOD}).json()
    assert [m["status"] for m in detail["measures"]] == ["done"]
    assert BenchmarkMeasure.objects.count() == 1


def test_bad_input_is_a_422_naming_the_field(
    api, alice, tree, campaign, benchmark, scored, english
):
    client = api(alice)
    cases = [
        (
            f"{URL}/campaigns/{campaign.pk}/benchmarks",
            {
                "unit_id": tree.hospital.pk,
                "kind": "outside",
                "name": "",
                "indicator_ids": [scored[0].pk],
            },
            "name",
        ),
        (
            f"{URL}/campaigns/{campaign.pk}/benchmarks",
            {
                "unit_id": tree.hospital.pk,
                "kind": "outside",
                "name": "甲",
                "indicator_ids": [10**6],
            },
            "indicator_ids",
        ),
        (
            f"{URL}/campaigns/{campaign.pk}/benchmarks",
            {
                "unit_id": tree.hospital.pk,
                "kind": "unit",
                "benchmark_unit_id": tree.other_hospital.pk,
                "indicator_ids": [scored[0].pk],
            },
            "benchmark_unit_id",
        ),
        (
            f"{URL}/campaigns/{campaign.pk}/benchmarks",
            {
                "unit_id": tree.other_hospital.pk,
                "kind": "outside",
                "name": "甲",
                "indicator_ids": [],
            },
            "unit_id",
        ),
        (
            f"{URL}/campaigns/{campaign.pk}/benchmarks",
            {"unit_id": tree.hospital.pk, "kind": "elsewhere", "name": "甲", "indicator_ids": []},
            "kind",
        ),
        (
            f"{URL}/{benchmark.pk}/values",
            {"indicator_id": scored[0].pk, "period": "2024-13", "value": "80", "source": "x"},
            "period",
        ),
        (
            f"{URL}/{benchmark.pk}/values",
            {"indicator_id": scored[0].pk, "period": PERIOD, "value": "180", "source": "x"},
            "value",
        ),
        (
            f"{URL}/{benchmark.pk}/values",
            {"indicator_id": scored[0].pk, "period": PERIOD, "value": "80", "source": " "},
            "source",
        ),
        (
            f"{URL}/{benchmark.pk}/values",
            {"indicator_id": scored[0].pk, "period": PERIOD, "value": "abc", "source": "x"},
            "value",
        ),
        (
            f"{URL}/{benchmark.pk}/measures",
            {"text": "x", "responsible_person": ""},
            "responsible_person",
        ),
    ]
    for path, data, field in cases:
        response = client.post(path, data)
        assert response.status_code == 422, (data, response.content)
        assert field in response.json()["detail"], (data, response.json())
    assert Benchmark.objects.count() == 1
    assert not BenchmarkValue.objects.exists() and not BenchmarkMeasure.objects.exists()
    response = client.get(f"{URL}/{benchmark.pk}", {"period": "March"})
    assert response.status_code == 422 and "period" in response.json()["detail"]


def test_weights_that_do_not_add_up_are_reported_not_failed(api, alice, tree, campaign, english):
    one = Indicator.objects.create(campaign=campaign, content="x", weight=Decimal(40))
    benchmark = make_outside(alice, campaign, tree.hospital, [one])
    body = api(alice).get(f"{URL}/{benchmark.pk}", {"period": PERIOD}).json()
    assert body["rows"] == [] and "add up to 40" in body["gap_error"]


def test_it_refuses_other_county_and_viewers(
    api, bob, sam, carol, dora, tree, campaign, benchmark, scored
):
    peer = make_peer(dora, campaign, tree.hospital, tree.hospital2, scored)
    value = {"indicator_id": scored[0].pk, "period": PERIOD, "value": "80", "source": "x"}
    for user, read, write in ((carol, 404, 404), (sam, 200, 403), (bob, 200, 403)):
        client = api(user)
        assert client.get(f"{URL}/{benchmark.pk}", {"period": PERIOD}).status_code == read
        assert client.post(f"{URL}/{benchmark.pk}/values", value).status_code == write
    assert api(carol).get(f"{URL}/campaigns/{campaign.pk}/benchmarks").status_code == 404
    # Dora's benchmark against the other hospital gives her none of its Ducha values.
    body = api(dora).get(f"{URL}/{peer.pk}", {"period": PERIOD}).json()
    assert body["peer_values_shown"] is False
    assert {r["current"]["benchmark"] for r in body["rows"]} == {None}
    assert not BenchmarkValue.objects.exists()


def test_the_schema_lists_the_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/benchmarks/campaigns/{campaign_id}/benchmarks"])
    assert "get" in paths["/api/benchmarks/{benchmark_id}"]
    assert "post" in paths["/api/benchmarks/{benchmark_id}/values"]
    assert "post" in paths["/api/benchmarks/{benchmark_id}/measures"]
    assert "post" in paths["/api/benchmarks/{benchmark_id}/measures/{measure_id}/done"]
