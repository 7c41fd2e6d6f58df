"""The closed loop in a browser (DOMAIN §2, §7): Sam reports a problem found on his visit, Dora
assigns it to her hospital, sets the rectification, reports progress with evidence and claims
it done; Alice, the level above, verifies and closes it with a before and an after photo; Dora
discloses it, and an anonymous visitor finds it on the public page and rates it 4."""

import datetime
import io

import pytest
from playwright.sync_api import expect

from ducha.campaigns.models import Campaign, Participant
from ducha.problems.models import Category, Problem, Rating
from ducha.visits.models import Visit

pytestmark = pytest.mark.e2e


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def docx() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("整改情况报告")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def visit(tree, sam, village, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign = Campaign.objects.create(
        title="东湖区作风整顿专项活动", unit=tree.county, status=Campaign.Status.ACTIVE
    )
    Participant.objects.create(campaign=campaign, unit=tree.hospital)
    visit = Visit.objects.create(
        campaign=campaign,
        unit=tree.hospital,
        date=datetime.date.today(),
        client_token="e2e-visit",
        created_by=sam,
    )
    visit.places.add(village)
    return visit


def step(page, name: str):
    """The form of one step on the problem page, opened."""
    box = page.locator(f"details[data-action='{name}']")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    return box


def submit(page, box):
    with page.expect_navigation():
        box.locator("button[type=submit]").click()


def test_the_whole_loop_from_a_visit_to_a_public_rating(
    new_page, log_in, password, tree, sam, dora, alice, visit, live_server
):
    category = Category.objects.get(code="environment")

    # Sam reports what he found on his visit.
    sam_page = new_page()
    log_in(sam_page, "sam", password)
    sam_page.goto(f"/problems/new/?visit={visit.pk}")
    expect(sam_page.locator(f"[data-visit-id='{visit.pk}']")).to_be_visible()
    sam_page.select_option("#id_category", str(category.pk))
    sam_page.fill("#id_title", "村卫生室门口台阶破损")
    sam_page.fill("#id_description", "台阶缺角，老人进出不便。")
    sam_page.check("#id_is_physical")
    with sam_page.expect_navigation():
        sam_page.click("main button.primary")
    problem = Problem.objects.get()
    assert problem.visit == visit and problem.source == "visit"
    expect(sam_page.locator("h1 [data-status]")).to_have_attribute("data-status", "reported")

    # Dora takes it for her hospital and sets the rectification.
    dora_page = new_page()
    log_in(dora_page, "dora", password)
    dora_page.goto(f"/problems/{problem.pk}/")
    box = step(dora_page, "assign")
    box.locator("select[name='assign-unit']").select_option(str(tree.hospital.pk))
    submit(dora_page, box)
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    box = step(dora_page, "rectification")
    box.locator("[name='rectification-measures']").fill("修补台阶并加装扶手")
    box.locator("[name='rectification-target']").fill("台阶完好，进出安全")
    box.locator("[name='rectification-deadline']").fill(deadline.isoformat())
    box.locator("[name='rectification-responsible_person']").select_option(
        label="多拉 · 东湖区人民医院"
    )
    submit(dora_page, box)
    expect(dora_page.locator("[data-deadline]")).to_have_attribute(
        "data-deadline", deadline.isoformat()
    )
    expect(dora_page.locator("h1 [data-light]")).to_have_attribute("data-light", "green")

    box = step(dora_page, "progress")
    box.locator("[name='progress-note']").fill("已联系施工队，材料到位")
    box.locator("[name='progress-public']").check()
    box.locator("[name='progress-files']").set_input_files(
        files=[{"name": "施工合同.docx", "mimeType": "application/octet-stream", "buffer": docx()}]
    )
    submit(dora_page, box)
    expect(dora_page.locator("[data-evidence='file']")).to_contain_text("施工合同.docx")

    box = step(dora_page, "claim")
    box.locator("[name='claim-note']").fill("台阶已修补，扶手已安装")
    submit(dora_page, box)
    expect(dora_page.locator("h1 [data-status]")).to_have_attribute("data-status", "claimed")
    # The unit does not verify its own rectification.
    expect(dora_page.locator("details[data-action='close']")).to_have_count(0)

    # Alice, the level above, verifies and closes it with a before and an after photo.
    alice_page = new_page()
    log_in(alice_page, "alice", password)
    alice_page.goto(f"/problems/{problem.pk}/")
    box = step(alice_page, "close")
    box.locator("[name='close-note']").fill("现场核实，同意销号")
    photo = {"mimeType": "image/png", "buffer": png()}
    box.locator("[name='close-before_photo']").set_input_files(
        files=[{"name": "before.png", **photo}]
    )
    box.locator("[name='close-after_photo']").set_input_files(
        files=[{"name": "after.png", **photo}]
    )
    submit(alice_page, box)
    expect(alice_page.locator("h1 [data-status]")).to_have_attribute("data-status", "closed")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED

    # Dora discloses it under public wording.
    dora_page.goto(f"/problems/{problem.pk}/")
    box = step(dora_page, "disclose")
    box.locator("[name='disclose-public_title']").fill("村卫生室门口台阶破损")
    box.locator("[name='disclose-public_text']").fill("已修补台阶并加装扶手。")
    submit(dora_page, box)
    expect(dora_page.locator("[data-public-link]")).to_be_visible()

    # Anyone, without an account, finds it on the hospital's public page and rates it.
    visitor = new_page()
    visitor.goto(f"/public/units/{tree.hospital.pk}/")
    card = visitor.locator(f"article[data-problem-id='{problem.pk}']")
    expect(card).to_contain_text("村卫生室门口台阶破损")
    expect(card.locator("[data-status]")).to_have_attribute("data-status", "closed")
    with visitor.expect_navigation():
        card.locator("a").click()
    expect(visitor.locator("[data-event='progress']")).to_contain_text("已联系施工队")
    expect(visitor.locator("body")).not_to_contain_text("多拉")
    visitor.check("input[name='score'][value='4']")
    visitor.fill("textarea[name='comment']", "修得很及时，谢谢")
    with visitor.expect_navigation():
        visitor.click(".rating-form button[type=submit]")
    expect(visitor.locator("[data-rated]")).to_be_visible()
    expect(visitor.locator("[data-rating]")).to_contain_text("4.0 / 5 (1)")
    rating = Rating.objects.get()
    assert (rating.problem, rating.score, rating.comment) == (problem, 4, "修得很及时，谢谢")
