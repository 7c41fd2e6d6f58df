"""The plan import pages: paste or upload, review beside the document, create the campaign;
and the bad input a plan import meets, each shown as a clear form error."""

import datetime
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.campaigns.models import Campaign
from ducha.plans.tests.samples import MASKED_PLAN, seed_text
from ducha.submissions.models import Requirement
from ducha.visits.models import ContactAssignment
from ducha.web.views.plans import SESSION_KEY

D = datetime.date
BOUNDARY = "plan-boundary"
SEED_TITLE = "黄岩区卫生系统“进村入企大走访、比学赶创促发展”活动实施意见"


def start(client, text=None, *, file=None):
    data = {"text": text or ""}
    if file is not None:
        data["file"] = file
    return client.post(reverse("plans-import"), data)


def review_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def form_values(form, **changes) -> dict:
    """The POST the review page's form sends as rendered, with `changes` by field name."""
    data = {"plan": "0"}
    for part in form.parts():
        if hasattr(part, "management_form"):
            for field in part.management_form:
                data[field.html_name] = field.value()
            forms = part.forms
        else:
            forms = [part]
        for f in forms:
            for field in f:
                value = field.value()
                if value is None or value is False:
                    continue
                if value is True:
                    value = "on"
                if isinstance(value, datetime.date):
                    value = value.isoformat()
                data[field.html_name] = value
    data.update(changes)
    return data


def unit_plan_row(form) -> str:
    """The prefix of the deadline row the importer suggested for each unit's own plan."""
    for f in form.deadlines.forms:
        if f.initial.get("kind") == Requirement.Kind.UNIT_PLAN:
            return f.prefix
    raise AssertionError("no unit plan row")


def raw_upload(filename: bytes, data: bytes) -> bytes:
    """A multipart body written by hand, so the file name can be GBK bytes as old Windows
    browsers send it."""
    return (
        f"--{BOUNDARY}\r\n".encode()
        + b'Content-Disposition: form-data; name="file"; filename="'
        + filename
        + b'"\r\nContent-Type: text/plain\r\n\r\n'
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


# --- the flow ------------------------------------------------------------------------------


def test_alice_imports_a_plan_and_lands_on_the_new_campaign(client, alice, bob, tree, english):
    client.force_login(alice)
    listing = client.get(reverse("campaigns-campaign-list")).content.decode()
    assert reverse("plans-import") in listing
    assert client.get(reverse("plans-import")).status_code == 200

    url = review_url(start(client, MASKED_PLAN))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # The document beside the draft, its values marked, the masked year asked for.
    assert '<mark data-source="doc_number" class="src-doc_number">东卫发〔2024〕12号</mark>' in html
    assert 'data-source="phase-1"' in html
    assert "data-year-placeholder" in html
    assert "data-draft=" in html
    form = page.context["form"]

    response = client.post(
        url, form_values(form, year="2024", **{f"{unit_plan_row(form)}-due": "01-15"})
    )

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("campaigns-campaign-detail", args=[campaign.pk]))
    assert "saved=plan-import-" in response["Location"]  # the browser's draft is dropped
    assert campaign.status == Campaign.Status.DRAFT
    assert [p.starts_on for p in campaign.phases.all()] == [
        D(2024, 12, 20),
        D(2025, 1, 1),
        D(2025, 3, 1),
    ]
    assert campaign.leadership.get(name="鲍勃").person == bob.person
    assert ContactAssignment.objects.get(campaign=campaign).target_unit == tree.hospital2
    assert AuditEntry.objects.filter(action="import", object_id=str(campaign.pk)).exists()
    assert SESSION_KEY not in client.session
    detail = client.get(response["Location"]).content.decode()
    assert "动员部署" in detail and "鲍勃" in detail
    # 张三 was left unlinked: his two visits are not recorded, and Alice is told so.
    assert "2 visiting assignments were left out" in detail


def test_a_masked_year_must_be_confirmed_on_the_page(client, alice, tree, english):
    client.force_login(alice)
    url = review_url(start(client, MASKED_PLAN))
    form = client.get(url).context["form"]

    response = client.post(url, form_values(form, **{f"{unit_plan_row(form)}-due": "01-15"}))

    assert response.status_code == 400
    assert response.context["form"].main.errors["year"]
    assert "Some values need your attention" in response.content.decode()
    assert not Campaign.objects.exists()


def test_an_undated_unit_plan_must_be_dated_or_left_out(client, alice, tree, english):
    client.force_login(alice)
    url = review_url(start(client, MASKED_PLAN))
    form = client.get(url).context["form"]
    row = unit_plan_row(form)

    response = client.post(url, form_values(form, year="2024"))
    assert response.status_code == 400
    assert "give its due date, or leave the row out" in response.content.decode()
    assert not Campaign.objects.exists()

    response = client.post(url, form_values(form, year="2024", **{f"{row}-DELETE": "on"}))
    assert response.status_code == 302
    kinds = Requirement.objects.values_list("kind", flat=True)
    assert list(kinds) == [Requirement.Kind.SUMMARY_REPORT]


def test_a_refusal_of_the_importer_shows_beside_its_table(client, alice, tree, english):
    client.force_login(alice)
    url = review_url(start(client, MASKED_PLAN))
    form = client.get(url).context["form"]
    # Issued by the hospital, the plan's 区中医院 is not one of its units.
    values = form_values(
        form,
        unit=str(tree.hospital.pk),
        year="2024",
        **{f"{unit_plan_row(form)}-DELETE": "on"},
    )

    response = client.post(url, values)

    assert response.status_code == 400
    assert "is not under the issuing unit" in " ".join(
        response.context["form"].section_errors["assignments"]
    )
    assert not Campaign.objects.exists()


def test_people_are_created_only_where_the_user_may_add_people(client, alice, tree, english):
    client.force_login(alice)
    url = review_url(start(client, MASKED_PLAN))
    form = client.get(url).context["form"]
    assert "create" not in dict(form.people.fields["person_2"].choices)

    response = client.post(url, form_values(form, year="2024", person_2="create"))

    assert response.status_code == 400
    assert not Campaign.objects.exists()


def test_the_seed_plan_without_phases_becomes_a_campaign(client, alice, tree, english):
    client.force_login(alice)
    url = review_url(start(client, seed_text()))
    page = client.get(url)
    html = page.content.decode()
    assert "No phases found in the plan" in html
    assert (
        '<mark data-source="issue_date" class="src-issue_date">二〇一二年四月十八日</mark>' in html
    )
    form = page.context["form"]

    response = client.post(url, form_values(form, **{f"{unit_plan_row(form)}-due": "2012-04-30"}))

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.title == SEED_TITLE
    assert campaign.issue_date == D(2012, 4, 18)
    assert not campaign.phases.exists()
    assert campaign.key_tasks.count() == 7
    assert sorted(Requirement.objects.values_list("due_date", flat=True)) == [
        D(2012, 4, 30),
        D(2012, 6, 18),
    ]


def test_two_plans_in_one_box_are_reviewed_one_at_a_time(client, alice, tree, english):
    client.force_login(alice)
    url = review_url(start(client, seed_text() + "\n\n" + MASKED_PLAN))
    page = client.get(url)
    html = page.content.decode()
    assert 'data-plan-count="2"' in html
    assert "The text holds 2 plans" in html
    assert page.context["form"].main["title"].value() == SEED_TITLE

    second = client.get(url, {"plan": "1"})
    form = second.context["form"]
    assert form.main["title"].value() == "东湖区卫生系统作风整顿活动实施方案"
    assert form.main["doc_number"].value() == "东卫发〔2024〕12号"
    values = form_values(form, plan="1", year="2024", **{f"{unit_plan_row(form)}-DELETE": "on"})
    assert client.post(url, values).status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.doc_number == "东卫发〔2024〕12号"
    assert "黄岩区" not in campaign.source_text  # only the second plan's text


def test_an_expired_import_starts_again(client, alice, tree, english):
    client.force_login(alice)
    response = client.get(reverse("plans-import-review", args=["0123456789abcdef"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans-import")


def test_only_campaign_offices_import_plans(client, alice, dora, carol, tree):
    client.force_login(alice)
    url = review_url(start(client, MASKED_PLAN))
    for user in (dora, carol):
        client.force_login(user)
        assert client.get(reverse("plans-import")).status_code == 403
        assert client.post(reverse("plans-import"), {"text": MASKED_PLAN}).status_code == 403
        assert client.get(url).status_code == 403
    listing = client.get(reverse("campaigns-campaign-list")).content.decode()
    assert reverse("plans-import") not in listing


# --- bad input -----------------------------------------------------------------------------


def test_nothing_pasted_is_refused(client, alice, english):
    client.force_login(alice)
    response = start(client, "   \n  ")
    assert response.status_code == 400
    assert "Paste the plan&#x27;s text or choose a file." in response.content.decode()


def test_an_empty_file_is_refused(client, alice, english):
    client.force_login(alice)
    response = start(client, file=SimpleUploadedFile("方案.txt", b""))
    assert response.status_code == 400
    assert "The submitted file is empty." in response.content.decode()

    response = start(client, file=SimpleUploadedFile("方案.txt", b"  \r\n\r\n "))
    assert response.status_code == 400
    assert "The file is empty: there is no text to extract." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("扫描件.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "A PDF (possibly a scan)"),
        ("照片.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "An image (PNG)"),
        (
            "方案.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            "An old Word (.doc) file",
        ),
    ],
)
def test_scans_images_and_old_word_files_are_refused(client, alice, english, name, data, said):
    client.force_login(alice)
    response = start(client, file=SimpleUploadedFile(name, data))
    assert response.status_code == 400
    content = response.content.decode()
    assert f"{said} is not supported: open it, copy the text and paste it" in content
    assert SESSION_KEY not in client.session


def test_gbk_text_with_a_gbk_file_name_is_read(client, alice, tree, english):
    client.force_login(alice)
    response = client.generic(
        "POST",
        reverse("plans-import"),
        raw_upload("作风整顿方案.txt".encode("gbk"), MASKED_PLAN.encode("gbk")),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    page = client.get(review_url(response))
    assert page.status_code == 200
    assert "作风整顿方案.txt" in page.content.decode()
    assert page.context["form"].main["title"].value() == "东湖区卫生系统作风整顿活动实施方案"


def test_a_docx_is_read(client, alice, tree, english):
    import docx

    document = docx.Document()
    for line in seed_text().split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    client.force_login(alice)
    page = client.get(
        review_url(start(client, file=SimpleUploadedFile("方案.docx", out.getvalue())))
    )
    assert page.context["form"].main["doc_number"].value() == "黄卫发〔2012〕39号"


def test_a_hundred_page_plan_completes_in_bounded_time(client, alice, tree, english):
    seed = seed_text()
    body = seed[seed.index("三、重点内容") : seed.index("四、工作要求")]
    text = seed.replace("四、工作要求", body * 80 + "四、工作要求", 1)
    client.force_login(alice)
    started = time.perf_counter()
    page = client.get(review_url(start(client, text)))
    elapsed = time.perf_counter() - started
    assert page.status_code == 200
    assert page.context["form"].main["doc_number"].value() == "黄卫发〔2012〕39号"
    assert elapsed < 15, elapsed


def test_a_file_over_the_upload_limit_is_refused_unread(client, alice, settings, english):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(alice)
    # Far over the limit: refused before the upload is read.
    response = start(client, file=SimpleUploadedFile("方案.txt", MASKED_PLAN.encode() * 60))
    assert response.status_code == 413
    assert "The file is larger than 1 KB; paste its text instead." in response.content.decode()
    # Just over it (within the multipart allowance): read, then refused all the same.
    response = start(client, file=SimpleUploadedFile("方案.txt", MASKED_PLAN.encode()))
    assert response.status_code == 400
    assert "The file is larger than 1 KB; paste its text instead." in response.content.decode()
    assert SESSION_KEY not in client.session
