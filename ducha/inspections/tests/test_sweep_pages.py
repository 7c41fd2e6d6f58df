"""Hazard sweeps in the web UI: the unit files its self-inspection, the office spot-checks."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from ducha.inspections.models import Finding, InspectionRound, SelfInspection, SpotCheck
from ducha.problems.models import Problem

from .factories import AFTER_DEADLINE, BEFORE_DEADLINE, ISSUED, file, make_sweep, spot_check


def page(sweep, unit):
    return reverse("inspections-self-inspection", args=[sweep.pk, unit.pk])


def filled(hazard_note="二楼消防通道堆放杂物"):
    return {
        "result_0": "hazard",
        "note_0": hazard_note,
        "result_1": "ok",
        "result_2": "ok",
        "note": "已组织全院自查",
    }


def test_the_unit_finds_its_sweep_and_files_once(client, english, dora, tree, sweep):
    client.force_login(dora)
    with freeze_time(BEFORE_DEADLINE):
        index = client.get(reverse("inspections-round-index"))
        assert [(r.round, r.unit) for r in index.context["to_file"]] == [(sweep, tree.hospital)]
        assert page(sweep, tree.hospital).encode() in index.content

        form_page = client.get(page(sweep, tree.hospital))
        assert form_page.status_code == 200 and form_page.context["form"] is not None

        response = client.post(page(sweep, tree.hospital), filled())
        assert response.status_code == 302
        assert response.url == page(sweep, tree.hospital)
        # A double click: refused with a message, the filing shown, nothing added.
        again = client.post(page(sweep, tree.hospital), filled("另一处隐患"), follow=True)
    assert SelfInspection.objects.count() == 1
    problem = Problem.objects.get()
    assert (problem.unit, problem.source) == (tree.hospital, Problem.Source.SELF_INSPECTION)
    assert "二楼消防通道堆放杂物" in problem.title
    assert again.context["self_inspection"] is not None
    assert again.context["form"] is None
    assert any("already filed" in str(m) for m in again.context["messages"])


def test_a_hazard_must_be_described(client, dora, tree, sweep):
    client.force_login(dora)
    with freeze_time(BEFORE_DEADLINE):
        response = client.post(page(sweep, tree.hospital), filled(hazard_note=" "))
        missing_answer = client.post(page(sweep, tree.hospital), {"result_0": "ok"})
    assert response.status_code == 200
    assert response.context["form"].errors["note_0"]
    assert missing_answer.context["form"].errors["result_1"]
    assert not SelfInspection.objects.exists()
    assert not Problem.objects.exists()


def test_after_the_deadline_the_unit_is_told_and_the_office_sees_it_missing(
    client, alice, dora, tree, sweep
):
    client.force_login(dora)
    with freeze_time(AFTER_DEADLINE):
        shown = client.get(page(sweep, tree.hospital))
        refused = client.post(page(sweep, tree.hospital), filled())
    assert shown.context["form"] is None and shown.context["status"] == "missing"
    assert refused.status_code == 200
    assert "2024-04-15" in str(refused.context["form"].non_field_errors())
    assert not SelfInspection.objects.exists()

    client.force_login(alice)
    with freeze_time(AFTER_DEADLINE):
        detail = client.get(reverse("inspections-round-detail", args=[sweep.pk]))
    statuses = {row.unit: row.status for row in detail.context["sweep"].rows}
    assert statuses == {tree.hospital: "missing", tree.hospital2: "missing"}


def test_others_get_the_same_404(client, alice, dora, carol, tree, campaign, sweep):
    only_first = make_sweep(alice, campaign, [tree.hospital], title="单院排查")
    client.force_login(carol)
    assert client.get(page(sweep, tree.hospital)).status_code == 404
    assert client.post(page(sweep, tree.hospital), filled()).status_code == 404
    client.force_login(dora)
    with freeze_time(BEFORE_DEADLINE):
        assert client.get(page(sweep, tree.hospital)).status_code == 200  # the same setup
        for url in (
            page(sweep, tree.hospital2),  # another unit's results
            page(only_first, tree.hospital2),  # a unit not in the round
            reverse("inspections-self-inspection", args=[999_999, tree.hospital.pk]),
        ):
            assert client.get(url).status_code == 404
            assert client.post(url, filled()).status_code == 404
        assert client.get(reverse("inspections-round-detail", args=[sweep.pk])).status_code == 404
    assert not SelfInspection.objects.exists()
    # The office reads the unit's page but does not file for it.
    client.force_login(alice)
    with freeze_time(BEFORE_DEADLINE):
        office = client.get(page(sweep, tree.hospital))
        assert office.status_code == 200 and office.context["form"] is None
        assert client.post(page(sweep, tree.hospital), filled()).status_code == 403
    assert not SelfInspection.objects.exists()


def test_the_office_creates_a_sweep_with_its_deadline(client, alice, tree, campaign):
    client.force_login(alice)
    data = {
        "title": "消防安全隐患排查",
        "kind": "hazard_sweep",
        "mode": "open",
        "date": "2024-04-01",
        "checklist": "消防通道\n特种设备",
        "units": [tree.hospital.pk, tree.hospital2.pk],
    }
    url = reverse("inspections-round-create", args=[campaign.pk])
    with freeze_time(ISSUED):
        refused = client.post(url, data)
        assert refused.status_code == 200
        assert refused.context["form"].errors["self_inspection_deadline"]
        assert not InspectionRound.objects.exists()
        created = client.post(url, {**data, "self_inspection_deadline": "2024-04-15"})
    assert created.status_code == 302
    assert str(InspectionRound.objects.get().self_inspection_deadline) == "2024-04-15"


def test_the_office_spot_checks_and_sees_what_was_missed(client, alice, dora, tree, sweep):
    file(dora, sweep, tree.hospital, hazard_at="消防通道")
    client.force_login(alice)
    url = reverse("inspections-spot-check-create", args=[sweep.pk])
    with freeze_time(AFTER_DEADLINE):
        refused = client.post(url, {"spot-unit": tree.hospital.pk, "spot-date": "2024-04-30"})
        assert refused.context["spot_check_form"].errors["date"]
        assert not SpotCheck.objects.exists()
        response = client.post(
            url, {"spot-unit": tree.hospital.pk, "spot-date": "2024-04-16", "spot-note": "抽查"}
        )
        assert response.status_code == 302
        twice = client.post(url, {"spot-unit": tree.hospital.pk, "spot-date": "2024-04-16"})
        assert twice.context["spot_check_form"].errors["unit"]
        assert SpotCheck.objects.count() == 1

        finding = client.post(
            reverse("inspections-finding-create", args=[sweep.pk]),
            {
                "unit": tree.hospital.pk,
                "text": "锅炉未年检",
                "severity": "serious",
                "checklist_item": "特种设备",
            },
        )
        assert finding.status_code == 302
        detail = client.get(reverse("inspections-round-detail", args=[sweep.pk]))
    assert Finding.objects.get().missed_by_self_inspection
    row = next(r for r in detail.context["sweep"].rows if r.unit == tree.hospital)
    assert (row.status, row.hazards, row.findings, row.missed) == ("filed", 1, 1, 1)
    assert row.spot_check is not None
    assert b"data-missed" in detail.content
    # The second hospital has not been spot-checked: no finding can be recorded there yet.
    assert list(detail.context["form"].fields["unit"].queryset) == [tree.hospital]


def test_dora_cannot_spot_check(client, dora, tree, sweep):
    client.force_login(dora)
    with freeze_time(AFTER_DEADLINE):
        response = client.post(
            reverse("inspections-spot-check-create", args=[sweep.pk]),
            {"spot-unit": tree.hospital.pk, "spot-date": "2024-04-16"},
        )
    assert response.status_code == 404
    assert not SpotCheck.objects.exists()


def test_the_index_lists_sweeps_in_constant_queries(
    client, alice, dora, tree, campaign, django_assert_num_queries
):
    first = make_sweep(alice, campaign, [tree.hospital, tree.hospital2], title="排查0")
    file(dora, first, tree.hospital)
    client.force_login(dora)
    url = reverse("inspections-round-index")
    with freeze_time(BEFORE_DEADLINE):
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
    for n in range(1, 4):
        make_sweep(alice, campaign, [tree.hospital, tree.hospital2], title=f"排查{n}")
    with freeze_time(BEFORE_DEADLINE), django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    rows = response.context["to_file"]
    assert [(r.unit, r.status) for r in rows].count((tree.hospital, "pending")) == 3
    assert [r.status for r in rows if r.round == first] == ["filed"]


def test_a_spot_checked_units_page_shows_its_own_findings(client, alice, dora, tree, sweep):
    file(dora, sweep, tree.hospital, hazard_at=None)
    spot_check(alice, sweep, tree.hospital)
    with freeze_time(AFTER_DEADLINE):
        from ducha.inspections import services

        services.finding_record(
            actor=alice,
            inspection_round=sweep,
            unit=tree.hospital,
            text="灭火器过期",
            checklist_item="消防通道",
        )
    client.force_login(dora)
    with freeze_time(AFTER_DEADLINE):
        response = client.get(page(sweep, tree.hospital))
    assert response.context["spot_check"].findings.get().text == "灭火器过期"
    assert "灭火器过期" in response.content.decode()
