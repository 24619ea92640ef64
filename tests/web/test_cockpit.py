"""The cockpit (home page): targets from the plan, map data for all 16 units, bounded queries, and scope:
a unit sees its own rank and projects, never another unit's project names."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tuijin.orgs.policy import SYSTEM
from tuijin.plan import plan_for
from tuijin.toolkit.money import yuan_to_wan

from .figures import LAGGING_NAME, MONTH, YEAR

pytestmark = pytest.mark.django_db


def _chart_data(response) -> dict:
    match = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    assert match, "the page passes its chart data with json_script"
    return json.loads(match.group(1))


def _card(html: str, code: str) -> str:
    match = re.search(rf'data-card="{code}" data-target="([^"]*)"', html)
    assert match, f"card {code} missing"
    return match.group(1)


@pytest.mark.parametrize("username", ["fgw", "leader"])
def test_the_city_cockpit_shows_the_plans_targets_against_the_actuals(client_for, figures, username):
    response = client_for(username).get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    plan = plan_for(2022)
    assert _card(html, "fai") == f"{plan.target('fai_growth'):f}"
    assert _card(html, "industrial") == f"{plan.target('industrial_growth'):f}"
    assert _card(html, "infrastructure") == f"{plan.target('infrastructure_growth'):f}"
    assert _card(html, "real_estate") == f"{plan.target('real_estate_growth'):f}"
    assert _card(html, "key_project_investment") == f"{plan.target('key_project_investment'):,f}"
    assert _card(html, "q1_investment") == f"{plan.target('q1_investment'):,f}"
    assert _card(html, "new_starts") == f"{plan.target('new_starts'):f}"
    assert _card(html, "approval_items") == f"{plan.target('approval_items'):,f}"
    cards = {c.code: c for c in response.context["cockpit"].growth_cards}
    assert (cards["fai"].actual, cards["fai"].status) == (Decimal("12.4"), "met")
    assert cards["real_estate"].status == "falling"  # -2.5% against +8%
    key = {c.code: c for c in response.context["cockpit"].key_cards}
    assert key["key_project_investment"].actual == Decimal("0.13")  # 700 + 600 万元 = 0.13 亿元
    assert key["key_project_investment"].time_progress == 50
    assert "序时进度 50.0%" in html


def test_the_map_data_holds_all_sixteen_units_with_positions_and_growth(client_for, figures):
    data = _chart_data(client_for("leader").get(reverse("home")))
    units = data["map"]["units"]
    assert len(units) == 16 and {u["code"] for u in units} == set(plan_for(2022).unit_codes())
    by_code = {u["code"]: u for u in units}
    assert by_code["jinshui"]["value"] == 15.2 and by_code["jinshui"]["rank"] == 1
    assert by_code["zhengdong"]["kind"] == "zone" and by_code["zhengdong"]["centre"] == [113.73, 34.77]
    assert by_code["guancheng"]["name"] == "管城回族区"  # the polygon's name in the vendored GeoJSON
    assert len(data["rankings"]["fai"]["rows"]) == 16 and data["rankings"]["fai"]["target"] == 10.0
    assert set(data["rankings"]) == {"fai", "industrial", "infrastructure", "real_estate"}
    assert data["trend"]["indicators"][0]["current"][MONTH - 1] == 12.4


def test_the_cockpit_lists_the_escalation_and_the_lagging_units_and_projects(client_for, figures):
    response = client_for("fgw").get(reverse("home"))
    cockpit = response.context["cockpit"]
    assert [(e["org"], e["streak"], e["level"]) for e in cockpit.escalations] == [("dengfeng", 3, "mayor_talk")]
    assert "市主要领导约谈" in response.content.decode()
    assert [u["org"] for u in cockpit.lagging_units][:2] == ["dengfeng", "hangkonggang"]
    assert [p["name"] for p in cockpit.lagging_projects] == [LAGGING_NAME]


def test_the_cockpit_runs_a_bounded_number_of_queries(client_for, figures, make_project,
                                                      django_assert_max_num_queries):
    from django.core.cache import cache

    client = client_for("fgw")
    client.get(reverse("home"))
    cache.clear()  # the cold path: every section computed
    with django_assert_max_num_queries(30):
        client.get(reverse("home"))
    for i in range(30):
        make_project("erqi", tags=("city_key",), name=f"新增重点项目{i}")
    cache.clear()
    with django_assert_max_num_queries(30):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(10):  # the usual path: the kept sections
        assert client.get(reverse("home")).status_code == 200


def test_a_unit_sees_its_own_cockpit_with_its_rank(client_for, figures):
    response = client_for("jinshui").get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "金水区 · 投资驾驶舱" in html
    assert "第 1 名（共 16 个）" in html  # tied with 郑东新区 at the top
    assert LAGGING_NAME in html  # its own lagging project


def test_a_unit_never_sees_another_units_project_names(client_for, figures):
    response = client_for("zhongyuan").get(reverse("home"))
    html = response.content.decode()
    assert response.context["cockpit"].unit.code == "zhongyuan"
    assert LAGGING_NAME not in html and "登封市应入未入测试项目" not in html
    assert 'data-testid="own-rank"' in html and "中原区 · 投资驾驶舱" in html
    data = client_for("zhongyuan").get(reverse("cockpit-data")).json()
    assert data["unit"] == "zhongyuan" and data["lagging_projects"] == []
    assert data["escalations"] == []  # only its own escalation, and it has none
    assert len(data["rankings"]["fai"]["rows"]) == 16  # other units as aggregates: growth and rank


def test_the_ranking_endpoint_gives_every_unit_and_refuses_an_unknown_indicator(client_for, figures):
    client = client_for("jinshui")
    data = client.get(reverse("cockpit-ranking"), {"period": f"{YEAR}-{MONTH:02d}", "indicator": "industrial"}).json()
    assert data["indicator"] == "industrial" and len(data["rows"]) == 16
    assert client.get(reverse("cockpit-ranking"), {"indicator": "nonsense"}).status_code == 400


def test_administrators_go_to_their_own_pages_and_the_library_overview_moved(client_for, figures):
    assert client_for("auditor").get(reverse("home"))["Location"] == reverse("audit:list")
    assert client_for("sysadmin").get(reverse("home"))["Location"] == reverse("orgs:list")
    response = client_for("fgw").get(reverse("overview"))
    assert response.status_code == 200 and "projects" in response.content.decode()
    assert client_for("auditor").get(reverse("cockpit-data")).status_code == 403


def test_the_cockpit_without_statistics_still_renders(client_for, orgs):
    response = client_for("fgw").get(reverse("home"))
    assert response.status_code == 200
    assert _chart_data(response)["rankings"]["fai"]["rows"] == []


def test_the_key_figures_follow_an_approved_correction(client_for, figures, users):
    """The cockpit reads the key-project figures from the summary refreshed on approval, and keeps them
    until the next audited write (DESIGN §8): an approved correction shows at once; an unaudited raw
    change to the monthly rows never shows."""
    from tuijin.audit.context import audit_context
    from tuijin.reporting import services
    from tuijin.reporting.models import ProgressReport

    client = client_for("fgw")

    def invested():
        cards = {c.code: c for c in client.get(reverse("home")).context["cockpit"].key_cards}
        return cards["key_project_investment"].actual

    assert invested() == Decimal("0.13")
    report = ProgressReport.objects.get(project__name=LAGGING_NAME, period__month=MONTH)
    with audit_context(source="system"):
        ProgressReport.objects.filter(pk=report.pk).update(ytd_amount_yuan=report.ytd_amount_yuan + 5_000_000)
    assert invested() == Decimal("0.13")  # the raw rows are not read
    with audit_context(source="web", actor=users["fgw"]):
        ProgressReport.objects.filter(pk=report.pk).update(ytd_amount_yuan=report.ytd_amount_yuan)
    with audit_context(source="web", actor=users["jinshui"]):
        correction = services.correction_request(actor=users["jinshui"], report_id=report.pk,
                                                 changes={"month_amount": str(yuan_to_wan(report.month_amount_yuan) + 100)},
                                                 reason="漏报100万元")
    assert invested() == Decimal("0.13")  # requested, not yet approved
    with audit_context(source="web", actor=users["fgw"]):
        services.correction_decide(actor=users["fgw"], correction_id=correction.pk, approve=True)
    # The correction re-derives the year-to-date chain; the cockpit shows the new approved sum at once.
    june = ProgressReport.objects.filter(period__month=MONTH, project__tag_links__tag__in=("city_key", "provincial_key"))
    expected = (Decimal(sum(june.values_list("ytd_amount_yuan", flat=True))) / 100_000_000).quantize(Decimal("0.01"))
    assert expected != Decimal("0.13")
    assert invested() == expected


def test_a_unit_sees_its_rank_for_every_indicator(client_for, figures):
    own = client_for("jinshui").get(reverse("home")).context["cockpit"].own_rank
    assert own["fai"]["rank"] == 1 and own["escalation"] is None
    assert [row["indicator_name"] for row in own["by_indicator"].values()] == [
        "固定资产投资", "工业投资", "基础设施投资", "房地产开发投资"]


def test_the_summary_gives_the_same_key_figures_as_the_monthly_rows(figures, orgs):
    """The cockpit's summary-based lagging list and sums equal what the raw monthly rows give."""
    from django.db.models import Sum

    from tuijin.reporting import selectors as reporting
    from tuijin.reporting.models import ProgressReport

    for unit in (None, orgs["jinshui"], orgs["zhongyuan"]):
        from_summary = reporting.lagging_from_summary(user=SYSTEM, year=2022, month=MONTH, unit=unit)
        from_rows = reporting.lagging_key_projects(user=SYSTEM, year=2022, month=MONTH, unit=unit)
        assert from_summary == from_rows
        key = reporting.key_figures(user=SYSTEM, year=2022, month=MONTH, unit=unit)
        rows = ProgressReport.objects.filter(period__month=MONTH, status="approved",
                                             project_id__in=reporting._key_project_ids(unit))
        assert key.investment_yuan == rows.aggregate(s=Sum("ytd_amount_yuan"))["s"]
        assert key.lagging_projects == reporting.lagging_key_projects_qs(user=SYSTEM, year=2022, month=MONTH, unit=unit).count()
    assert [row["name"] for row in reporting.lagging_from_summary(user=SYSTEM, year=2022, month=MONTH)] == [LAGGING_NAME]


def test_the_cockpit_reads_refuse_whom_the_policy_refuses_and_serve_system(client_for, figures, users, orgs):
    """The cockpit's selectors take the principal: an administrator is refused at the door and by the
    selectors; a unit reads the city's aggregates but not another unit's (or the city's) project names;
    SYSTEM reads everything."""
    from tuijin.cockpit import selectors as cockpit
    from tuijin.reporting import selectors as reporting
    from tuijin.toolkit.errors import PermissionRefused

    period = {"period": f"{YEAR}-{MONTH:02d}"}
    assert client_for("auditor").get(reverse("cockpit-ranking"), period).status_code == 403
    auditor, jinshui = users["auditor"], users["jinshui"]
    for read in (lambda u: cockpit.rankings(user=u, year=YEAR, month=MONTH),
                 lambda u: cockpit.cockpit(user=u, year=YEAR, month=MONTH),
                 lambda u: cockpit.likely_misses(user=u, year=YEAR, month=MONTH),
                 lambda u: reporting.key_figures(user=u, year=YEAR, month=MONTH)):
        with pytest.raises(PermissionRefused):
            read(auditor)
        assert read(SYSTEM) is not None
    assert len(cockpit.rankings(user=jinshui, year=YEAR, month=MONTH)["fai"]["rows"]) == 16
    with pytest.raises(PermissionRefused):
        cockpit.key_section(user=jinshui, year=YEAR, month=MONTH, unit=orgs["zhongyuan"])
    with pytest.raises(PermissionRefused):
        reporting.lagging_from_summary(user=jinshui, year=YEAR, month=MONTH)
    assert [row["name"] for row in reporting.lagging_from_summary(user=SYSTEM, year=YEAR, month=MONTH)] == [LAGGING_NAME]
    own, _lagging = cockpit.key_section(user=jinshui, year=YEAR, month=MONTH, unit=orgs["jinshui"])
    assert own == reporting.key_figures(user=SYSTEM, year=YEAR, month=MONTH, unit=orgs["jinshui"])
