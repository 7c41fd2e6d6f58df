"""Published scores, appeals, follow-ups and the score import through /api/assessment."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from ducha.assessment import appeals, releases, services
from ducha.assessment.models import Appeal, FollowUp, Indicator, ManualScore, ScoreRelease
from ducha.assessment.tests.factories import PERIOD, scored_indicators
from ducha.campaigns.tests.factories import make_county_campaign

URL = "/api/assessment"


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
    release, _created = releases.release_publish(actor=alice, campaign=campaign, period=PERIOD)
    return release


def xlsx(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["单位", "得分", "依据"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def multipart(client, user, path, data):
    client.logout()
    client.force_login(user)
    return client.post(path, data)


# --- releases --------------------------------------------------------------------------------


def test_alice_publishes_once_for_the_same_data(api_as, alice, tree, campaign, indicators):
    client = api_as(alice)
    created = client.post(f"{URL}/campaigns/{campaign.pk}/releases", {"period": PERIOD})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == 1 and body["appeal_deadline"] == "2024-04-10"
    rows = {r["unit_id"]: r for r in body["rows"]}
    assert (rows[tree.hospital2.pk]["rank"], rows[tree.hospital.pk]["rank"]) == (1, 2)
    cell = rows[tree.hospital.pk]["cells"][0]
    assert cell["source"] == "manual" and cell["value"] == "70.00"
    assert (
        cell["record_id"] == ManualScore.objects.get(unit=tree.hospital, indicator=indicators[0]).pk
    )
    again = client.post(f"{URL}/campaigns/{campaign.pk}/releases", {"period": PERIOD})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    listed = client.get(f"{URL}/campaigns/{campaign.pk}/releases").json()
    assert [r["id"] for r in listed] == [body["id"]]
    check = client.get(f"{URL}/releases/{body['id']}/verify").json()
    assert check["matches"] and check["current_hash"] == check["content_hash"]


def test_publishing_reports_bad_input(api_as, alice, campaign, english):
    Indicator.objects.create(campaign=campaign, content="x", weight=Decimal(40))
    client = api_as(alice)
    response = client.post(f"{URL}/campaigns/{campaign.pk}/releases", {"period": PERIOD})
    assert response.status_code == 422
    assert "40" in response.json()["detail"]["__all__"][0]
    response = client.post(f"{URL}/campaigns/{campaign.pk}/releases", {"period": "March"})
    assert response.status_code == 422 and "period" in response.json()["detail"]
    response = client.post(
        f"{URL}/campaigns/{campaign.pk}/releases",
        {"period": PERIOD, "appeal_deadline": "2024-04-01"},
    )
    assert response.status_code == 422 and "appeal_deadline" in response.json()["detail"]
    assert not ScoreRelease.objects.exists()


def test_releases_are_refused_out_of_place(api_as, bob, dora, carol, campaign, release):
    assert api_as(bob).get(f"{URL}/releases/{release.pk}").status_code == 200
    assert api_as(dora).get(f"{URL}/releases/{release.pk}").status_code == 403
    assert api_as(carol).get(f"{URL}/releases/{release.pk}").status_code == 404
    assert api_as(carol).get(f"{URL}/releases/999999").status_code == 404
    for user, status in ((bob, 403), (dora, 403), (carol, 404)):
        response = api_as(user).post(f"{URL}/campaigns/{campaign.pk}/releases", {"period": PERIOD})
        assert response.status_code == status
    assert ScoreRelease.objects.count() == 1


def test_a_unit_reads_only_its_own_rows(api_as, dora, carol, tree, release):
    blocks = api_as(dora).get(f"{URL}/my-scores").json()
    assert [b["release"]["id"] for b in blocks] == [release.pk]
    assert [r["unit_id"] for r in blocks[0]["rows"]] == [tree.hospital.pk]
    assert blocks[0]["rows"][0]["rank"] == 2 and blocks[0]["rows"][0]["peers"] == 2
    assert api_as(carol).get(f"{URL}/my-scores").json() == []


# --- appeals ---------------------------------------------------------------------------------


def test_dora_appeals_and_alice_accepts(client, api_as, alice, dora, tree, release, indicators):
    path = f"{URL}/releases/{release.pk}/appeals"
    data = {"unit_id": tree.hospital.pk, "indicator_id": indicators[0].pk, "reasons": "漏计"}
    evidence = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    created = multipart(client, dora, path, {**data, "file": evidence})
    assert created.status_code == 201, created.content
    appeal_id = created.json()["id"]
    assert created.json()["file_name"] == "照片.png"
    again = multipart(client, dora, path, data)
    assert again.status_code == 200 and again.json()["id"] == appeal_id
    assert Appeal.objects.count() == 1
    assert [a["id"] for a in api_as(alice).get(path).json()] == [appeal_id]
    assert [a["id"] for a in api_as(dora).get(path).json()] == [appeal_id]

    decide = f"{URL}/appeals/{appeal_id}/decide"
    missing = api_as(alice).post(decide, {"decision": "accepted", "note": "属实"})
    assert missing.status_code == 422 and "corrected_value" in missing.json()["detail"]
    decided = api_as(alice).post(
        decide, {"decision": "accepted", "note": "属实", "corrected_value": "100"}
    )
    assert decided.status_code == 200, decided.content
    new = ScoreRelease.objects.get(pk=decided.json()["result_release_id"])
    assert new.version == 2
    rows = {r["unit_id"]: r for r in api_as(alice).get(f"{URL}/releases/{new.pk}").json()["rows"]}
    assert (rows[tree.hospital.pk]["rank"], rows[tree.hospital.pk]["score"]) == (1, "88.00")
    assert api_as(alice).get(f"{URL}/releases/{release.pk}").json()["superseded_by_id"] == new.pk
    twice = api_as(alice).post(decide, {"decision": "rejected", "note": "改判"})
    assert twice.status_code == 422
    assert Appeal.objects.get().status == Appeal.Status.ACCEPTED


def test_appeals_are_refused_out_of_place(
    client, api_as, bob, dora, sam, carol, tree, release, english
):
    path = f"{URL}/releases/{release.pk}/appeals"
    data = {"unit_id": tree.hospital.pk, "reasons": "漏计"}
    assert multipart(client, carol, path, data).status_code == 404
    assert multipart(client, sam, path, data).status_code == 403
    response = multipart(client, dora, path, {**data, "unit_id": tree.department.pk})
    assert response.status_code == 422 and "unit" in response.json()["detail"]
    response = multipart(client, dora, path, {**data, "unit_id": tree.other_hospital.pk})
    assert response.status_code == 422 and "unit_id" in response.json()["detail"]
    response = multipart(client, dora, path, {**data, "reasons": ""})
    assert response.status_code == 422 and "reasons" in response.json()["detail"]
    fake = SimpleUploadedFile("a.pdf", b"not a pdf at all")
    response = multipart(client, dora, path, {**data, "file": fake})
    assert response.status_code == 422 and "file" in response.json()["detail"]
    with freeze_time("2024-04-10 16:01:00"):
        response = multipart(client, dora, path, data)
    assert response.status_code == 422
    assert "2024-04-10" in response.json()["detail"]["__all__"][0]
    assert not Appeal.objects.exists()

    appeal, _created = appeals.appeal_file(
        actor=dora, release=release, unit=tree.hospital, reasons="漏计"
    )
    decide = f"{URL}/appeals/{appeal.pk}/decide"
    assert api_as(bob).post(decide, {"decision": "rejected", "note": "x"}).status_code == 403
    assert api_as(carol).post(decide, {"decision": "rejected", "note": "x"}).status_code == 404
    assert api_as(carol).get(f"{URL}/appeals/{appeal.pk}").status_code == 404
    assert api_as(carol).get(path).status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.SUBMITTED


# --- follow-ups ------------------------------------------------------------------------------


def test_follow_ups_are_listed_and_recorded(api_as, alice, dora, carol, tree, campaign, indicators):
    path = f"{URL}/campaigns/{campaign.pk}/follow-ups"
    payload = {
        "unit_id": tree.hospital.pk,
        "period": PERIOD,
        "kind": "admonition_talk",
        "note": "院长诫勉谈话",
    }
    created = api_as(alice).post(path, payload)
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "admonition_talk"
    follow_up = FollowUp.objects.get()
    assert (follow_up.unit, follow_up.actor) == (tree.hospital, alice)
    assert [f["id"] for f in api_as(alice).get(path, {"period": PERIOD}).json()] == [follow_up.pk]
    assert api_as(alice).get(path, {"period": "2024-02"}).json() == []


def test_follow_ups_refuse_bad_input(api_as, alice, dora, carol, tree, campaign, indicators):
    path = f"{URL}/campaigns/{campaign.pk}/follow-ups"
    payload = {
        "unit_id": tree.hospital2.pk,
        "period": PERIOD,
        "kind": "accountability",
        "note": "x",
    }
    response = api_as(alice).post(path, payload)  # ranked first: nothing to follow up
    assert response.status_code == 422 and "unit" in response.json()["detail"]
    response = api_as(alice).post(path, {**payload, "unit_id": tree.hospital.pk, "kind": "fine"})
    assert response.status_code == 422
    response = api_as(alice).post(path, {**payload, "unit_id": tree.hospital.pk, "note": " "})
    assert response.status_code == 422 and "note" in response.json()["detail"]
    assert api_as(dora).post(path, {**payload, "unit_id": tree.hospital.pk}).status_code == 403
    assert api_as(carol).post(path, {**payload, "unit_id": tree.hospital.pk}).status_code == 404
    assert api_as(carol).get(path).status_code == 404
    assert not FollowUp.objects.exists()


# --- the score import ------------------------------------------------------------------------


def test_alice_imports_scores_from_a_table(client, alice, tree, campaign):
    indicator = services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(100)
    )
    table = xlsx([["H01", 85, "台账齐全"], ["东湖区中医院", 90, ""]])
    table.name = "scores.xlsx"
    response = multipart(
        client,
        alice,
        f"{URL}/campaigns/{campaign.pk}/scores/import",
        {"indicator_id": indicator.pk, "period": PERIOD, "file": table},
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"imported": 2}
    values = dict(ManualScore.objects.values_list("unit__code", "value"))
    assert values == {"H01": Decimal("85.00"), "H02": Decimal("90.00")}


def test_a_bad_table_writes_nothing(client, alice, carol, dora, tree, campaign, english):
    indicator = services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(100)
    )
    path = f"{URL}/campaigns/{campaign.pk}/scores/import"
    base = {"indicator_id": indicator.pk, "period": PERIOD}
    not_xlsx = SimpleUploadedFile("scores.xlsx", b"unit,score\nH01,85\n")
    response = multipart(client, alice, path, {**base, "file": not_xlsx})
    assert response.status_code == 422 and "file" in response.json()["detail"]
    bad_row = xlsx([["H01", 85, "台账"], ["H03", 90, ""], ["H02", 130, ""]])
    response = multipart(client, alice, path, {**base, "file": bad_row})
    assert response.status_code == 422
    messages = response.json()["detail"]["file"]
    assert any("Row 3" in m for m in messages) and any("Row 4" in m for m in messages)
    response = multipart(client, alice, path, {**base, "period": "2024-3", "file": xlsx([])})
    assert response.status_code == 422 and "period" in response.json()["detail"]
    response = multipart(client, alice, path, {**base, "indicator_id": 999999, "file": xlsx([])})
    assert response.status_code == 422 and "indicator_id" in response.json()["detail"]
    good = xlsx([["H01", 85, "台账"]])
    assert multipart(client, dora, path, {**base, "file": good}).status_code == 403
    good.seek(0)
    assert multipart(client, carol, path, {**base, "file": good}).status_code == 404
    assert not ManualScore.objects.exists()
