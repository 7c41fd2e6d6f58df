"""The ledger page, template downloads and exports."""

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.orgs.tests.factories import HouseholdFactory, PersonFactory, make_member

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_of(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_it_lists_the_ledgers_with_what_the_user_may_do(client, alice):
    client.force_login(alice)
    response = client.get(reverse("ledgers-index"))

    assert response.status_code == 200
    content = response.content.decode()
    for kind in ("units", "people", "places"):
        assert reverse("ledgers-export", args=[kind]) in content
    # Alice (campaign office) manages places only.
    assert reverse("ledgers-import", args=["places"]) in content
    assert reverse("ledgers-template", args=["places"]) in content
    assert reverse("ledgers-import", args=["units"]) not in content
    assert reverse("ledgers-import", args=["people"]) not in content
    assert reverse("ledgers-index") in content  # the navigation links to it


def test_it_shows_the_ledgers_with_a_fixed_number_of_queries(client, admin, tree):
    client.force_login(admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("ledgers-index")).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    PersonFactory.create_batch(20, unit=tree.hospital)
    assert queries() == few


def test_it_refuses_users_without_a_role(client, tree):
    nobody = make_member("nobody", tree.hospital, None).user
    client.force_login(nobody)
    for url in (
        reverse("ledgers-index"),
        reverse("ledgers-export", args=["units"]),
        reverse("ledgers-template", args=["places"]),
        reverse("ledgers-import", args=["places"]),
    ):
        assert client.get(url).status_code == 403, url
    assert not AuditEntry.objects.filter(action="export").exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client, tree):
    response = client.get(reverse("ledgers-export", args=["units"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web-login"))


def test_it_answers_404_for_an_unknown_ledger(client, admin):
    client.force_login(admin)
    assert client.get(reverse("ledgers-export", args=["visits"])).status_code == 404
    assert client.get(reverse("ledgers-import", args=["visits"])).status_code == 404


def test_it_downloads_the_template(client, dora):
    client.force_login(dora)
    response = client.get(reverse("ledgers-template", args=["people"]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''%E4%BA%BA%E5%91%98" in response["Content-Disposition"]  # 人员
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["人员", "说明"]
    assert [c.value for c in workbook["人员"][1]] == [
        "工号",
        "姓名",
        "性别",
        "单位编码",
        "职务",
        "党员",
        "电话",
        "邮箱",
    ]


def test_it_refuses_the_template_to_users_who_cannot_import(client, bob):
    client.force_login(bob)
    assert client.get(reverse("ledgers-template", args=["units"])).status_code == 403


def test_it_exports_only_what_the_user_may_see(client, carol, alice, tree):
    client.force_login(carol)
    response = client.get(reverse("ledgers-export", args=["units"]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    codes = {row[0].value for row in workbook_of(response).worksheets[0].iter_rows(min_row=3)}
    assert codes == {"H03"}
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor_id, entry.object_type, entry.after["rows"]) == (carol.pk, "orgs.orgunit", 1)


def test_it_masks_households_in_the_export_of_alice(client, alice, tree, village):
    HouseholdFactory(code="HH01", unit=tree.hospital, parent=village)
    client.force_login(alice)
    response = client.get(reverse("ledgers-export", args=["places"]))

    rows = {
        row[0].value: [c.value for c in row]
        for row in workbook_of(response).worksheets[0].iter_rows(min_row=3)
    }
    assert rows["HH01"][8] == "3301**********1234"
    assert "330102198001011234" not in str(rows)
