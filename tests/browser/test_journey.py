"""One journey in headless Chromium: a 金水区 user logs in, filters the library, opens a project.

Drives Debian's /usr/bin/chromium through Playwright against a live server; the
screenshot is kept in test-artifacts/ (and docs/ holds one for the README).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM), reason="Debian chromium not installed"),
]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop; allow Django's ORM beside it for this test only
    # (a leaked variable would fail `check --deploy` in a later test of the same worker).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        yield page
        browser.close()


def test_a_unit_user_filters_the_library_and_opens_a_project(live_server, users, make_project, browser_page):
    for i in range(3):
        make_project("jinshui", name=f"金水区智能传感谷项目{i}", tags=("city_key",), stage="construction",
                     leader="王志强（副市长）")
    make_project("jinshui", name="金水区传感储备项目", stage="reserve")  # filtered out by the tab
    make_project("zhongyuan", name="中原区保密项目", stage="construction")
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "jinshui")
    page.fill("#id_password", "Tuijin@2022!")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/projects/")
    page.click("a[data-stage=construction]")
    page.wait_for_selector("a[data-stage=construction].active")
    page.fill("#id_q", "传感")
    page.press("#id_q", "Enter")
    page.wait_for_function("document.querySelectorAll('[data-testid=project-table] tbody tr[data-unit]').length === 3")
    units = page.eval_on_selector_all("[data-testid=project-table] tbody tr[data-unit]",
                                      "rows => rows.map(r => r.dataset.unit)")
    assert units == ["jinshui"] * 3
    assert "中原区保密项目" not in page.content() and "金水区传感储备项目" not in page.content()
    assert page.is_visible("a[data-stage=construction].active")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "project-list.png"), full_page=True)
    page.click("text=金水区智能传感谷项目0")
    page.wait_for_selector("[data-testid=project-name]")
    assert page.inner_text("[data-testid=project-unit]") == "金水区"
    page.screenshot(path=str(ARTIFACTS / "project-detail.png"), full_page=True)
