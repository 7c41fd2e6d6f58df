"""The visit pages besides the form: list, detail, photos, contact assignments, checklists,
quotas and their dashboard, the study log, the visit report and the visit ledger."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.submissions.models import Requirement, Submission
from ducha.visits import services
from ducha.visits.models import (
    ChecklistTemplate,
    ContactAssignment,
    Quota,
    StudyRecord,
    Visit,
    VisitReport,
    VisitSettings,
)
from ducha.visits.tests.factories import (
    TODAY,
    frozen_today,
    jpeg_bytes,
    make_campaign,
    make_enterprise,
    make_visit,
)

from .orgs_pages import queries_for

D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def today():
    with frozen_today():
        yield TODAY


@pytest.fixture
def campaign(tree):
    return make_campaign(tree)


@pytest.fixture
def enterprise(tree):
    return make_enterprise(tree)


def _url(name, campaign=None, *args, **params):
    url = reverse(name, args=args)
    if campaign is not None:
        params = {"campaign": campaign.pk, **params}
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


@pytest.fixture
def visit(tree, campaign, sam, village, household):
    return make_visit(
        campaign, tree.hospital, D(2024, 5, 1), [sam.person], [village, household], created_by=sam
    )


# --- list and detail -----------------------------------------------------------------------


def test_the_list_filters_and_masks(client, tree, campaign, alice, sam, visit, enterprise):
    make_visit(campaign, tree.hospital2, D(2024, 4, 1), [], [enterprise])
    client.force_login(alice)
    html = client.get(_url("visits-visit-list", campaign)).content.decode()
    assert html.count("data-visit-id=") == 2
    assert "王大明户" not in html and "王***" in html
    only = client.get(_url("visits-visit-list", campaign, place_kind="enterprise")).content.decode()
    assert only.count("data-visit-id=") == 1
    since = client.get(_url("visits-visit-list", campaign, date_from="2024-04-15")).content.decode()
    assert f'data-visit-id="{visit.pk}"' in since and since.count("data-visit-id=") == 1


def test_the_list_costs_a_fixed_number_of_queries(client, tree, campaign, sam, village):
    client.force_login(sam)
    make_visit(campaign, tree.hospital, D(2024, 5, 1), [sam.person], [village])
    url = _url("visits-visit-list", campaign)
    few = queries_for(client, url)
    for n in range(8):
        make_visit(campaign, tree.hospital, D(2024, 4, 1 + n), [sam.person], [village])
    assert queries_for(client, url) == few


def test_carol_sees_no_visit_and_gets_the_missing_page(client, tree, carol, visit):
    client.force_login(carol)
    assert "data-visit-id" not in client.get(reverse("visits-visit-list")).content.decode()
    refused = client.get(reverse("visits-visit-detail", args=[visit.pk]))
    missing = client.get(reverse("visits-visit-detail", args=[999999]))
    assert refused.status_code == missing.status_code == 404


@pytest.mark.parametrize(("viewer", "shown"), [("dora", "王大明户"), ("alice", "王***")])
def test_the_detail_masks_households_unless_the_viewer_may_read_them(
    request, client, visit, viewer, shown
):
    client.force_login(request.getfixturevalue(viewer))
    html = client.get(reverse("visits-visit-detail", args=[visit.pk])).content.decode()
    assert shown in html
    if viewer == "alice":
        assert "王大明户" not in html and "13812345678" not in html


def test_photos_are_served_only_to_those_who_see_the_visit(
    client, today, tree, campaign, sam, carol, visit
):
    photo = services.visit_photo_add(
        actor=sam, visit=visit, upload=SimpleUploadedFile("p.jpg", jpeg_bytes((300, 200)))
    )
    client.force_login(sam)
    display = client.get(reverse("visits-photo", args=[photo.pk, "display"]))
    assert display.status_code == 200 and display["Content-Type"] == "image/jpeg"
    original = client.get(reverse("visits-photo", args=[photo.pk, "original"]))
    assert "attachment" in original["Content-Disposition"]
    client.force_login(carol)
    assert client.get(reverse("visits-photo", args=[photo.pk, "display"])).status_code == 404


def test_the_creator_deletes_a_visit(client, sam, visit):
    client.force_login(sam)
    response = client.post(reverse("visits-visit-delete", args=[visit.pk]))
    assert response.status_code == 302
    assert not Visit.objects.exists()


# --- contact assignments -------------------------------------------------------------------


def test_the_office_adds_a_leader_unit_pair_and_the_table_shows_it(
    client, tree, campaign, alice, bob
):
    client.force_login(alice)
    response = client.post(
        _url("visits-contact-create", campaign),
        {
            "kind": "leader_unit",
            "person": bob.person.pk,
            "post": "副局长",
            "target_unit": tree.hospital.pk,
            "target_text": "区人民医院",
        },
    )
    assert response.status_code == 302
    assignment = ContactAssignment.objects.get()
    assert (assignment.person, assignment.target_unit) == (bob.person, tree.hospital)
    html = client.get(_url("visits-contact-list", campaign)).content.decode()
    assert "鲍勃" in html and "东湖区人民医院" in html and "区人民医院" in html
    # Bob's own page loads his assignments.
    fragment = client.get(reverse("visits-person-contacts", args=[bob.person.pk])).content.decode()
    assert "东湖区人民医院" in fragment


def test_a_coordinator_may_not_assign(client, campaign, dora):
    client.force_login(dora)
    assert client.get(_url("visits-contact-create", campaign)).status_code == 403


def test_the_contact_import_page_reports_bad_rows_and_writes_nothing(
    english, client, tree, campaign, alice, bob
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "职务", "调研单位"])
    sheet.append(["鲍勃", "副局长", "东湖区人民医院"])
    sheet.append(["鲍勃", "副局长", "不存在的医院"])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(alice)
    response = client.post(
        _url("visits-contact-import", campaign),
        {"file": SimpleUploadedFile("附件2.xlsx", out.getvalue())},
    )
    assert response.status_code == 400
    assert "“不存在的医院” matches no single unit under the campaign." in response.content.decode()
    assert not ContactAssignment.objects.exists()


def test_a_place_page_lists_its_pairs_and_visits(client, tree, campaign, dora, village, visit):
    ContactAssignment.objects.create(
        campaign=campaign, kind="unit_place", unit=tree.hospital, target_place=village
    )
    client.force_login(dora)
    html = client.get(reverse("visits-place-contacts", args=[village.pk])).content.decode()
    assert "东湖区人民医院" in html and "2024-05-01" in html
    assert (
        'hx-get="/visits/contacts/place/'
        in client.get(reverse("orgs-place-detail", args=[village.pk])).content.decode()
    )


# --- checklists, settings, quotas ----------------------------------------------------------


def test_the_office_defines_a_checklist_and_the_photo_setting(client, campaign, alice, dora):
    client.force_login(alice)
    response = client.post(
        _url("visits-checklist-list", campaign),
        {
            "action": "checklist",
            "name": "送健康三进",
            "target": "village",
            "checks": "进村\n进居\n进户",
            "questions": "群众需要什么",
        },
    )
    assert response.status_code == 302
    template = ChecklistTemplate.objects.get(campaign=campaign)
    assert [i["kind"] for i in template.items] == ["check", "check", "check", "text"]
    client.post(
        _url("visits-checklist-list", campaign), {"action": "settings", "keep_photo_location": "on"}
    )
    assert VisitSettings.objects.get(campaign=campaign).keep_photo_location is True
    client.force_login(dora)
    refused = client.post(
        _url("visits-checklist-list", campaign), {"action": "checklist", "name": "x"}
    )
    assert refused.status_code == 403


def test_the_office_adds_a_quota(client, campaign, alice):
    client.force_login(alice)
    response = client.post(
        _url("visits-quota-list", campaign),
        {
            "activity": "visit_village",
            "comparator": ">=",
            "number": "2",
            "subject": "person",
            "period": "year",
            "text": "每年不少于2次",
        },
    )
    assert response.status_code == 302
    quota = Quota.objects.get()
    assert (quota.number, quota.text) == (Decimal(2), "每年不少于2次")
    assert AuditEntry.objects.filter(action="create", object_type="visits.quota").exists()


@pytest.fixture
def quota(campaign):
    return Quota.objects.create(
        campaign=campaign,
        activity="visit_village",
        comparator=">=",
        number=2,
        subject="person",
        period="year",
    )


def test_the_dashboard_shows_who_is_behind(
    client, tree, campaign, alice, sam, dora, village, quota
):
    make_visit(campaign, tree.hospital, D(2024, 4, 1), [sam.person], [village])
    make_visit(campaign, tree.hospital, D(2024, 4, 2), [sam.person], [village])
    client.force_login(alice)
    html = client.get(
        _url("visits-quota-dashboard", campaign, behind="on", window="2024-03-01")
    ).content.decode()
    assert "多拉" in html
    assert "山姆" not in html.split("people-attainment")[1]
    assert f'data-unit-id="{tree.hospital.pk}"' in html


def test_the_dashboard_costs_a_fixed_number_of_queries(
    client, tree, campaign, alice, village, quota
):
    client.force_login(alice)
    url = _url("visits-quota-dashboard", campaign)
    few = queries_for(client, url)
    for n in range(15):
        person = make_member(f"w{n}", tree.hospital2, Role.STAFF, name=f"职工{n}")
        make_visit(campaign, tree.hospital2, D(2024, 4, 1), [person], [village])
    assert queries_for(client, url) == few


def test_the_other_county_has_no_dashboard_of_it(client, campaign, carol, quota):
    client.force_login(carol)
    assert client.get(_url("visits-quota-dashboard", campaign)).status_code == 404


# --- study log -----------------------------------------------------------------------------


def test_staff_log_study_hours_on_their_page(client, today, sam):
    client.force_login(sam)
    response = client.post(
        reverse("visits-study-list"),
        {
            "person": sam.person.pk,
            "date": "2024-05-10",
            "hours": "3",
            "kind": "self",
            "topic": "医改政策",
        },
    )
    assert response.status_code == 302
    assert StudyRecord.objects.get().hours == Decimal(3)
    html = client.get(reverse("visits-study-list")).content.decode()
    assert "医改政策" in html


# --- the visit report ----------------------------------------------------------------------


def test_the_coordinator_drafts_edits_and_submits_the_visit_report(
    client, today, tree, campaign, dora, visit
):
    requirement = Requirement.objects.create(
        campaign=campaign,
        kind=Requirement.Kind.VISIT_REPORT,
        title="走访报告",
        due_date=D(2024, 6, 18),
    )
    client.force_login(dora)
    url = _url("visits-report-edit", campaign)
    assert client.post(url, {"action": "draft", "client_token": "t0"}).status_code == 302
    report = VisitReport.objects.get()
    assert "共开展走访1次" in report.text
    page = client.get(url).content.decode()
    token = page.split('name="client_token" value="')[1].split('"')[0]
    response = client.post(
        url, {"action": "submit", "text": report.text + "\n补充一段。", "client_token": token}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.text.endswith("补充一段。")
    assert Submission.objects.get(requirement=requirement, unit=tree.hospital) == report.submission


def test_staff_cannot_open_the_report(client, campaign, sam):
    client.force_login(sam)
    assert client.get(_url("visits-report-edit", campaign)).status_code == 403


# --- the ledger ----------------------------------------------------------------------------


def test_the_ledger_downloads_as_xlsx_masked_for_the_office(client, campaign, alice, visit):
    client.force_login(alice)
    response = client.get(_url("visits-ledger-export", campaign))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = repr(list(sheet.iter_rows(values_only=True)))
    assert "王***" in values and "王大明户" not in values


def test_the_ledger_import_page_writes_all_rows_or_none(
    english, client, today, tree, campaign, dora, sam, village
):
    from ducha.visits.ledgers import COLUMNS

    headers = [c.header for c in COLUMNS]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    good = dict.fromkeys(headers, "")
    good.update(
        {
            "日期": "2024-05-06",
            "走访单位编码": "H01",
            "走访人员工号": sam.person.code,
            "走访对象编码": "V01",
            "遵守纪律": "是",
        }
    )
    sheet.append([good[h] for h in headers])
    bad = {**good, "日期": "2030-01-01"}
    sheet.append([bad[h] for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(dora)
    response = client.post(
        _url("visits-ledger-import", campaign),
        {"file": SimpleUploadedFile("台账.xlsx", out.getvalue())},
    )
    assert response.status_code == 400
    assert "A visit cannot be dated in the future" in response.content.decode()
    assert not Visit.objects.exists()
