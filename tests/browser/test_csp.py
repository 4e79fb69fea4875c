"""The Content-Security-Policy as Chromium applies it: our scripts run (the language switcher submits on change),
while an inline script, were one ever added, is blocked and reported on the console; the `page` fixture turns
such a report into a failure of every browser test."""

import pytest

pytestmark = pytest.mark.browser


def test_our_scripts_run_under_the_policy(page):
    page.goto("/login")
    switcher = page.locator("select[data-autosubmit]").first

    with page.expect_navigation():
        switcher.select_option("ko")

    assert page.locator("html").get_attribute("lang") == "ko"


def test_the_browser_blocks_and_reports_an_inline_script(browser, live_server):
    context = browser.new_context(base_url=live_server)  # not the `page` fixture: this test wants a report
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/login")

    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = true';
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(300)

    assert page.evaluate("() => window.ran === undefined")
    assert any("Content Security Policy" in text for text in messages)
    context.close()
