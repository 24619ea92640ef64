"""Monthly reporting in headless Chromium: a unit edits a row in place (htmx), sees the error inline,
fixes it, submits; the city sees the dashboard. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from . import test_workflow as workflow
from .test_workflow import save

building, clock = workflow.building, workflow.clock  # fixtures shared with the workflow tests

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM),
                       reason="Debian chromium not installed"),
]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop; allow Django's ORM beside it for this test only
    # (a leaked variable would fail `check --deploy` in a later test of the same worker).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 950}, locale="zh-CN")
        yield page
        browser.close()


def log_in(page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Tuijin@2022!")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_a_unit_edits_a_row_in_place_and_submits(live_server, users, building, clock, browser_page):
    done = building(name="金水区智能装备产业园")
    open_row = building(name="金水区数据中心项目")
    save(users["jinshui"], done, "2022-07", month_amount="700", physical_progress="主体结构施工至8层",
         percent_complete="45", started=True)
    page = browser_page
    log_in(page, live_server.url, "jinshui")
    page.goto(f"{live_server.url}/reporting/2022-07/jinshui/")
    row = f"#row-{open_row.pk}"
    page.click(f"{row} [data-testid=edit-row]")
    page.wait_for_selector(f"{row}[data-editing='1']")
    page.fill(f"{row} input[name=month_amount]", "-5")
    page.click(f"{row} [data-testid=save-row]")
    page.wait_for_selector(f"{row} [data-field-error=month_amount]")
    assert "负数" in page.inner_text(f"{row} [data-field-error=month_amount]")
    page.fill(f"{row} input[name=month_amount]", "260")
    page.fill(f"{row} input[name=physical_progress]", "设备安装")
    page.click(f"{row} [data-testid=save-row]")
    page.wait_for_selector(f"{row}[data-row-status=draft]")
    assert "260.00" in page.inner_text(row)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reporting-unit-grid.png"), full_page=True)
    page.click("[data-testid=submit-period]")
    page.wait_for_selector("[data-testid=submission-status]")
    assert page.inner_text("[data-testid=submission-status]") == "已报送"

    log_in(page, live_server.url, "fgw")
    page.goto(f"{live_server.url}/reporting/?period=2022-07")
    page.wait_for_selector("[data-testid=approve-jinshui]")
    page.screenshot(path=str(ARTIFACTS / "reporting-dashboard.png"), full_page=True)
    page.click("[data-testid=approve-jinshui]")
    page.wait_for_selector("tr[data-unit=jinshui][data-status=approved]")
