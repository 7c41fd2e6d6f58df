"""Uploading a ledger on the import page: results, refusals and awkward files."""

import pytest
from django.test import Client
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.orgs.models import OrgUnit, Place
from ducha.orgs.tests.ledger_files import PLACE_HEADER, UNIT_HEADER, upload, xlsx

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
BOUNDARY = "ledger-test-boundary"
GOOD_UNITS = xlsx(
    [
        UNIT_HEADER,
        ["H09", "东湖区第二人民医院", "区二院", "医院", "D01", 1],
        ["H09-1", "儿科", "", "科室", "H09", ""],
    ]
)


def url(kind: str = "units") -> str:
    return reverse("ledgers-import", args=[kind])


def post_file(client, data: bytes, name: str = "台账.xlsx", kind: str = "units"):
    return client.post(url(kind), {"file": upload(data, name)})


def raw_multipart(filename: bytes, data: bytes) -> bytes:
    """A multipart body written by hand, so the file name can be bytes that aren't UTF-8."""
    return (
        f"--{BOUNDARY}\r\n".encode()
        + b'Content-Disposition: form-data; name="file"; filename="'
        + filename
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def post_raw(client, body: bytes, kind: str = "units"):
    return client.generic(
        "POST", url(kind), body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


def unit_codes() -> set[str]:
    return set(OrgUnit.objects.values_list("code", flat=True))


def test_it_shows_the_upload_form(client, admin):
    client.force_login(admin)
    response = client.get(url())
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert reverse("ledgers-template", args=["units"]) in response.content.decode()


def test_it_imports_a_good_file(client, admin, tree, english):
    client.force_login(admin)
    response = post_file(client, GOOD_UNITS, name="东湖台账.xlsx")

    assert response.status_code == 200
    assert "2 rows imported from “东湖台账.xlsx”." in response.content.decode()
    department = OrgUnit.objects.get(code="H09-1")
    assert department.parent.code == "H09"
    assert department.path.startswith(tree.county.path)
    entry = AuditEntry.objects.get(action="import")
    assert (entry.actor_id, entry.object_repr) == (admin.pk, "东湖台账.xlsx")


def test_it_shows_every_bad_row_and_changes_nothing(client, admin, tree, english):
    before = unit_codes()
    client.force_login(admin)
    data = xlsx(
        [
            ["组织机构台账"],
            UNIT_HEADER,
            ["H09", "二院", "", "医院", "D01", ""],
            ["H09", "二院", "", "医院", "D01", ""],
            ["H10", "三院", "", "医院", "X99", "末位"],
        ]
    )
    response = post_file(client, data, name="东湖台账.xlsx")

    assert response.status_code == 400
    content = response.content.decode()
    assert "“东湖台账.xlsx” has 3 problems. Nothing was changed." in content
    assert "<td>4</td><td>编码</td>" in content
    assert "<td>5</td><td>上级编码</td>" in content
    assert "<td>5</td><td>排序</td>" in content
    assert unit_codes() == before
    assert not AuditEntry.objects.filter(action="import").exists()


def test_it_reports_a_missing_column_on_the_header_row(client, admin, english):
    before = unit_codes()
    client.force_login(admin)
    response = post_file(client, xlsx([["编码", "名称"], ["H09", "二院"]]))

    assert response.status_code == 400
    content = response.content.decode()
    assert "<td>1</td><td>类型</td><td>This required column is missing.</td>" in content
    assert unit_codes() == before


def test_it_refuses_a_parent_outside_carols_scope_as_an_error_row(client, carol, english):
    before = set(Place.objects.values_list("code", flat=True))
    client.force_login(carol)
    data = xlsx([PLACE_HEADER, ["V21", "西山新村", "村", "H03"], ["V22", "东湖新村", "村", "H01"]])
    response = post_file(client, data, kind="places")

    assert response.status_code == 400
    assert "<td>3</td><td>责任单位编码</td>" in response.content.decode()
    assert set(Place.objects.values_list("code", flat=True)) == before


def test_it_refuses_users_who_may_not_import_the_ledger(client, alice):
    client.force_login(alice)
    assert client.get(url("units")).status_code == 403
    assert post_file(client, GOOD_UNITS).status_code == 403
    assert not OrgUnit.objects.filter(code="H09").exists()


def test_it_reads_a_gbk_csv(client, admin, tree):
    client.force_login(admin)
    data = "编码,名称,类型,上级编码\r\nH09,东湖区第二人民医院,医院,D01\r\n".encode("gbk")
    response = post_file(client, data, name="东湖.csv")

    assert response.status_code == 200
    assert OrgUnit.objects.get(code="H09").name == "东湖区第二人民医院"


def test_it_keeps_a_file_name_sent_in_gbk(client, admin, tree, english):
    client.force_login(admin)
    response = post_raw(client, raw_multipart("东湖台账.xlsx".encode("gbk"), GOOD_UNITS))

    assert response.status_code == 200
    assert "2 rows imported from “东湖台账.xlsx”." in response.content.decode()
    assert AuditEntry.objects.get(action="import").object_repr == "东湖台账.xlsx"


def test_it_survives_a_file_name_of_undecodable_bytes(client, admin, tree, english):
    client.force_login(admin)
    response = post_raw(client, raw_multipart(b"\xff\xfe\x80<b>.xlsx", GOOD_UNITS))

    assert response.status_code == 200
    assert "2 rows imported from" in response.content.decode()
    assert "<b>" not in response.content.decode()  # escaped like any other text
    assert OrgUnit.objects.filter(code="H09").exists()


def test_it_refuses_a_picture_renamed_xlsx(client, admin, english):
    before = unit_codes()
    client.force_login(admin)
    response = post_file(client, PNG, name="照片.xlsx")

    assert response.status_code == 400
    content = response.content.decode()
    assert "not a spreadsheet (it looks like a .png file)" in content
    assert "“照片.xlsx” could not be imported. Nothing was changed." in content
    assert unit_codes() == before


def test_it_refuses_an_empty_file(client, admin, english):
    client.force_login(admin)
    response = post_file(client, b"", name="空.xlsx")

    assert response.status_code == 400
    assert "The submitted file is empty." in response.content.decode()


def test_it_refuses_a_file_over_the_limit(client, admin, settings, english):
    settings.IMPORT_MAX_BYTES = 3000
    client.force_login(admin)
    response = post_file(client, GOOD_UNITS + b"\x00" * 3000)

    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    assert not OrgUnit.objects.filter(code="H09").exists()


def test_it_refuses_a_huge_upload_without_reading_it(client, admin, settings, english):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(admin)
    response = post_file(client, b"x" * 200_000, name="大.csv")

    assert response.status_code == 413
    assert "The file is larger than" in response.content.decode()


@pytest.mark.parametrize("with_token", [False, True])
def test_it_checks_the_csrf_token_after_reading_the_upload(admin, tree, with_token):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    client.get(url())  # sets the CSRF cookie
    data = {"file": upload(GOOD_UNITS)}
    if with_token:
        data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    response = client.post(url(), data)

    assert response.status_code == (200 if with_token else 403)
    assert OrgUnit.objects.filter(code="H09").exists() == with_token
