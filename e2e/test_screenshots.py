"""Screenshots for the docs, taken from the demo data.

By default this only checks that the pages render, so CI never rewrites tracked files;
`DUCHA_SCREENSHOTS=1 .venv/bin/pytest e2e/test_screenshots.py` writes docs/screenshots/*.png.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture
def demo_accounts(live_server, settings, tmp_path) -> dict[str, str]:
    """Load the demo into the test database; username → password."""
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    accounts = {}
    for line in out.getvalue().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in {"admin", "office", "leader", "head", "staff"}:
            accounts[parts[0]] = parts[1]
    return accounts


def shoot(page, name: str) -> None:
    if os.environ.get("DUCHA_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_home_page_of_the_office_director(page, live_server, demo_accounts, log_in):
    log_in(page, "office", demo_accounts["office"])

    assert page.url == f"{live_server.url}/"
    assert "黄洪" in page.inner_text("h1")
    # The whole district is in scope: its units, people and places are counted.
    counts = [int(b) for b in page.locator("section.cards .stat b").all_inner_texts()]
    assert len(counts) == 3 and min(counts) > 0
    assert "台州市黄岩区卫生局" in page.inner_text("main")
    shoot(page, "home")


def test_ranking_of_the_demo_campaign(page, live_server, demo_accounts, log_in):
    from ducha.campaigns.models import Campaign

    campaign = Campaign.objects.get(parent=None)
    log_in(page, "office", demo_accounts["office"])
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto(f"/campaigns/{campaign.pk}/assessment/ranking/?period=2012-06")
    for name in ("ranking", "heat", "trend"):
        page.locator(f"[data-chart={name}] canvas").first.wait_for()
    # Every participant has a score from the demo's indicator system; some miss the veto item.
    scores = page.locator("table.ranking [data-score]").all_inner_texts()
    assert len(scores) > 10 and all(s != "—" for s in scores)
    assert page.locator("table.ranking tr[data-failed]").count() > 0
    page.locator("[data-chart=heat]").scroll_into_view_if_needed()
    shoot(page, "ranking")
