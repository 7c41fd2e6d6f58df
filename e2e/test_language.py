import pytest

pytestmark = pytest.mark.e2e


def lang(page) -> str:
    return page.get_attribute("html", "lang")


def test_chinese_is_the_default_and_the_switch_goes_to_english_and_back(page, live_server):
    page.goto("/login/")
    assert lang(page) == "zh-hans"
    switch = page.locator(".lang-switch button[name=language]")
    assert switch.get_attribute("value") == "en"

    with page.expect_navigation():
        switch.click()

    # Back on the same page, now in English, and the choice survives a reload.
    assert page.url == f"{live_server.url}/login/"
    assert lang(page) == "en"
    assert page.inner_text("h1") == "Log in"
    page.reload()
    assert lang(page) == "en"
    assert switch.get_attribute("value") == "zh-hans"

    with page.expect_navigation():
        switch.click()

    assert lang(page) == "zh-hans"
    page.reload()
    assert lang(page) == "zh-hans"


def test_the_switch_keeps_a_signed_in_user_on_their_page(
    page, live_server, alice, password, log_in
):
    log_in(page, "alice", password)
    page.goto("/password/")
    assert lang(page) == "zh-hans"

    with page.expect_navigation():
        page.click(".lang-switch button[name=language]")

    assert page.url == f"{live_server.url}/password/"
    assert lang(page) == "en"
    assert page.inner_text("h1") == "Change password"
