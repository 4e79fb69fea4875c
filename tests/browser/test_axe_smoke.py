"""axe-core runs in our pages under the strict CSP, and finds a violation when there is one."""

import pytest
from builders.accessibility import assert_accessible, violations

pytestmark = pytest.mark.browser


def test_login_page_has_no_serious_violation(page):
    page.goto("/login")
    assert_accessible(page)


def test_axe_reports_an_image_button_without_a_name(page):
    page.goto("/login")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<button id=\"nameless\"></button>')")
    assert any(v["id"] == "button-name" for v in violations(page))
