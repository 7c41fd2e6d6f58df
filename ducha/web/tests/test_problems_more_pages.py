"""Commitments, the opinions of the opinion box, categories and the rectification ledger pages."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from freezegun import freeze_time

from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.problems import services
from ducha.problems.models import Category, Commitment, Opinion, Problem
from ducha.problems.tests.factories import campaign, category, media, report

__all__ = ["campaign", "category", "media"]
pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture(autouse=True)
def _clock():
    with freeze_time("2026-06-01 10:00:00"):
        yield


def test_a_public_commitment_is_recorded_and_verified_by_the_level_above(
    client, tree, sam, dora, alice, category
):
    head = make_member("hank", tree.hospital, Role.UNIT_HEAD, name="韩院长")
    problem = report(sam, tree.hospital, category)
    client.force_login(dora)
    response = client.post(
        reverse("problems-commitment-create"),
        {
            "kind": "public",
            "unit": tree.hospital.pk,
            "person": head.pk,
            "problem": problem.pk,
            "text": "一个月内解决",
            "target": "导诊台有人值守",
            "responsibility": "院办",
            "due_date": "2026-07-01",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    # It shows on the unit's and the person's pages.
    unit_page = client.get(reverse("orgs-unit-detail", args=[tree.hospital.pk])).content.decode()
    assert "一个月内解决" in unit_page
    person_page = client.get(reverse("orgs-person-detail", args=[head.pk])).content.decode()
    assert "一个月内解决" in person_page

    verify = reverse("problems-commitment-verify", args=[commitment.pk])
    client.post(verify, {"result": "kept"})
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.OPEN  # Dora may not verify her own unit
    client.force_login(alice)
    client.post(verify, {"result": "kept", "note": "已兑现"})
    commitment.refresh_from_db()
    assert (commitment.status, commitment.verified_by) == (Commitment.Status.KEPT, alice)


def test_a_public_commitment_without_deadline_is_refused(client, tree, sam, dora, category):
    problem = report(sam, tree.hospital, category)
    client.force_login(dora)
    response = client.post(
        reverse("problems-commitment-create"),
        {"kind": "public", "unit": tree.hospital.pk, "problem": problem.pk, "text": "尽快解决"},
    )
    assert response.status_code == 400
    assert not Commitment.objects.exists()


def test_dora_answers_one_opinion_and_registers_another(client, tree, dora, carol, category):
    first = services.opinion_submit(unit=tree.hospital, text="服务很好", client="c")
    second = services.opinion_submit(unit=tree.hospital, text="厕所没有扶手", client="c")
    client.force_login(carol)
    assert client.get(reverse("problems-opinion-detail", args=[first.pk])).status_code == 404
    client.force_login(dora)
    listing = client.get(reverse("problems-opinion-list")).content.decode()
    assert "服务很好" in listing and "厕所没有扶手" in listing

    response = client.post(
        reverse("problems-opinion-answer", args=[first.pk]), {"answer": "感谢您的肯定"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("problems-opinion-to-problem", args=[second.pk]),
        {
            "problem-category": category.pk,
            "problem-title": "厕所无扶手",
            "problem-severity": "minor",
        },
    )
    problem = Problem.objects.get()
    assert response["Location"] == reverse("problems-problem-detail", args=[problem.pk])
    second.refresh_from_db()
    assert second.status == Opinion.Status.PROBLEM
    public = client.get(reverse("public-unit-detail", args=[tree.hospital.pk])).content.decode()
    assert "感谢您的肯定" in public and "服务很好" in public


def test_the_staff_opinion_box_page_gives_the_link_and_qr(client, tree, dora):
    client.force_login(dora)
    page = client.get(reverse("problems-opinion-box", args=[tree.hospital.pk])).content.decode()
    assert f"/public/units/{tree.hospital.pk}/opinions/" in page and "<svg" in page


def test_the_office_adds_a_category(client, tree, alice, dora):
    client.force_login(dora)
    assert client.post(reverse("problems-category-list"), {"name": "x"}).status_code == 403
    client.force_login(alice)
    response = client.post(
        reverse("problems-category-list"), {"name": "行风建设", "unit": tree.county.pk}
    )
    assert response.status_code == 302
    assert Category.objects.get(name="行风建设").unit == tree.county


def test_the_ledger_page_exports_and_imports(client, tree, sam, dora, category):
    report(sam, tree.hospital, category)
    client.force_login(dora)
    export = client.get(reverse("problems-ledger-export"))
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert book.active["G3"].value == "门诊导诊台无人值守"

    sheet = openpyxl.Workbook()
    sheet.active.append(["来源", "单位编码", "类别", "问题"])
    sheet.active.append(["自查", "H01", "环境", "候诊区空调损坏"])
    out = io.BytesIO()
    sheet.save(out)
    response = client.post(
        reverse("problems-ledger"), {"file": SimpleUploadedFile("台账.xlsx", out.getvalue())}
    )
    assert response.status_code == 200
    assert Problem.objects.filter(title="候诊区空调损坏").exists()
    template = client.get(reverse("problems-ledger-template"))
    assert template.status_code == 200
