import pytest

pytestmark = pytest.mark.e2e


def test_it_browses_the_tree_by_expanding_units(page, live_server, alice, tree, password, log_in):
    log_in(page, "alice", password)
    page.goto("/units/")

    # Alice's scope starts at her county bureau; the other county is nowhere on the page.
    root = page.locator(f"li[data-unit-id='{tree.county.pk}']")
    assert root.is_visible()
    assert page.locator(f"li[data-unit-id='{tree.other_county.pk}']").count() == 0
    assert "西山县" not in page.inner_text("main")

    # Expanding loads the children by htmx; expanding a child goes one level deeper.
    root.locator(f"button[data-tree-toggle='{tree.county.pk}']").click()
    hospital = page.locator(f"li[data-unit-id='{tree.hospital.pk}']")
    hospital.wait_for()
    assert page.locator(f"li[data-unit-id='{tree.hospital2.pk}']").is_visible()
    hospital.locator(f"button[data-tree-toggle='{tree.hospital.pk}']").click()
    page.locator(f"li[data-unit-id='{tree.department.pk}']").wait_for()

    # Collapsing hides the children without another request.
    root.locator(f"button[data-tree-toggle='{tree.county.pk}']").click()
    hospital.wait_for(state="hidden")

    # A unit's link opens its detail page with breadcrumbs back to the scope root.
    root.locator(f"button[data-tree-toggle='{tree.county.pk}']").click()
    with page.expect_navigation():
        hospital.locator(f"a[href='/units/{tree.hospital.pk}/']").first.click()
    assert page.url == f"{live_server.url}/units/{tree.hospital.pk}/"
    assert "东湖区人民医院" in page.inner_text("h1")


def test_it_searches_the_tree_on_a_phone(phone_page, live_server, carol, tree, password, log_in):
    page = phone_page
    log_in(page, "carol", password)
    page.goto("/units/?q=人民医院")
    text = page.inner_text("main")
    # Carol finds her own hospital and never the other county's one of the same name.
    assert "西山县人民医院" in text
    assert "东湖区人民医院" not in text
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    # A guessed id outside her scope gives the same page as a missing one.
    response = page.goto(f"/units/{tree.hospital.pk}/")
    assert response.status == 404
