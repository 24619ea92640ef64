"""A unit user sees only its own unit's deals: 404 for another unit's by page, API, export and CLI."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command


@pytest.fixture
def other(make_deal):
    return make_deal("zhongyuan", amount_yi=50, name="中原区项目", dates=[dt.date(2022, 1, 5), dt.date(2022, 2, 1)])


def test_deal_page_of_another_unit_is_404(other, make_deal, client_for):
    own = make_deal("jinshui", dates=[dt.date(2022, 1, 5)])
    client = client_for("jinshui")
    assert client.get(f"/promotion/deals/{own.pk}/").status_code == 200
    assert client.get(f"/promotion/deals/{other.pk}/").status_code == 404
    assert client.post(f"/promotion/deals/{other.pk}/move/", {"to": "registered", "moved_on": "2022-03-01"}
                       ).status_code == 404
    assert client.post(f"/promotion/deals/{other.pk}/convert/").status_code == 404
    assert client_for("fgw").get(f"/promotion/deals/{other.pk}/").status_code == 200


def test_api_deal_of_another_unit_is_404(other, client_for):
    client = client_for("jinshui")
    assert client.get(f"/api/v1/promotion/deals/{other.pk}/").status_code == 404
    moved = client.post(f"/api/v1/promotion/deals/{other.pk}/move/", {"to": "registered"},
                        content_type="application/json")
    assert moved.status_code == 404
    assert client.post(f"/api/v1/promotion/deals/{other.pk}/convert/", {},
                       content_type="application/json").status_code == 404
    assert client.get("/api/v1/promotion/deals/?unit=zhongyuan").status_code == 404
    assert client.get("/api/v1/promotion/deals/").json()["count"] == 0
    other.refresh_from_db()
    assert other.stage == "signed"


def test_pages_and_exports_filtered_by_another_unit_are_404(other, client_for):
    client = client_for("jinshui")
    for url in ("/promotion/?unit=zhongyuan", "/promotion/export.xlsx?unit=zhongyuan",
                "/promotion/weekly/?week=2022-W05&unit=zhongyuan", "/promotion/weekly.docx?week=2022-W05&unit=zhongyuan",
                "/promotion/stalled/?unit=zhongyuan"):
        assert client.get(url).status_code == 404, url


def test_lists_do_not_show_another_units_deal(other, client_for):
    assert "中原区项目" not in client_for("jinshui").get("/promotion/").content.decode()
    assert "中原区项目" in client_for("fgw").get("/promotion/").content.decode()


def test_cli_refuses_another_units_deals(other):
    with pytest.raises(CommandError, match="不在您的查看范围内"):
        call_command("stalled_deals", "--as-of", "2022-07-01", "--as", "jinshui", "--unit", "zhongyuan")
    out = io.StringIO()
    call_command("stalled_deals", "--as-of", "2022-07-01", "--as", "zhongyuan", "--json", stdout=out)
    assert [r["deal"] for r in json.loads(out.getvalue())["results"]] == ["中原区项目"]


def test_administrators_see_no_promotion(other, client_for):
    assert client_for("auditor").get("/api/v1/promotion/deals/").status_code == 403
    assert client_for("sysadmin").get("/promotion/").status_code == 403
