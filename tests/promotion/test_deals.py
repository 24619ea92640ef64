"""Deals through the real doors: moves (dated, audited, illegal ones refused), conversion into the
library, tiers against targets per unit and city, the pages, the export."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command

from tuijin.audit.models import AuditEntry
from tuijin.orgs.policy import SYSTEM
from tuijin.projects.models import Project
from tuijin.promotion import selectors
from tuijin.promotion.models import Deal, DealMove
from tuijin.toolkit.errors import PermissionRefused
from tuijin.toolkit.money import wan_to_yuan


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_deal_is_registered_and_moved_through_every_stage_each_move_audited(client_for, users):
    client = client_for("jinshui")
    created = post(client, "/api/v1/promotion/deals/", {
        "unit": "jinshui", "name": "智能终端产业园", "investor": "某电子信息集团", "amount_yi": "120.5",
        "leading_industry": "electronic_information", "negotiating_since": "2022-03-01", "leader": "金水区委书记",
        "principal_leader": True, "task_force": "智能终端产业园工作专班"})
    assert created.status_code == 201, created.content
    deal = created.json()
    assert (deal["stage"], deal["amount_yi"], deal["tier"]) == ("negotiating", "120.5000", None)
    pk = deal["id"]
    for to, day in [("signed", "2022-04-08"), ("registered", "2022-05-10"), ("started", "2022-06-20"),
                    ("producing", "2022-12-01")]:
        moved = post(client, f"/api/v1/promotion/deals/{pk}/move/", {"to": to, "moved_on": day, "note": f"{to}"})
        assert moved.status_code == 200, moved.content
        assert moved.json()["stage"] == to
    obj = Deal.objects.get(pk=pk)
    assert (obj.signed_on, obj.registered_on, obj.started_on, obj.producing_on, obj.last_move_on) == (
        dt.date(2022, 4, 8), dt.date(2022, 5, 10), dt.date(2022, 6, 20), dt.date(2022, 12, 1), dt.date(2022, 12, 1))
    assert list(DealMove.objects.filter(deal=obj).values_list("from_stage", "to_stage")) == [
        ("", "negotiating"), ("negotiating", "signed"), ("signed", "registered"), ("registered", "started"),
        ("started", "producing")]
    entries = AuditEntry.objects.filter(object_type="promotion.deal", object_id=str(pk), action="stage").order_by("id")
    assert [(e.before["stage"], e.after["stage"]) for e in entries] == [
        ("negotiating", "signed"), ("signed", "registered"), ("registered", "started"), ("started", "producing")]
    assert all(e.actor == users["jinshui"] and e.source == "api" for e in entries)
    assert AuditEntry.objects.filter(object_type="promotion.deal", object_id=str(pk), action="create").count() == 1


def test_illegal_moves_are_refused_with_a_chinese_message_and_change_nothing(make_deal, client_for, business_date):
    deal = make_deal(dates=[dt.date(2022, 3, 1), dt.date(2022, 4, 1)])  # signed
    client = client_for("jinshui")
    url = f"/api/v1/promotion/deals/{deal.pk}/move/"
    skip = post(client, url, {"to": "started", "moved_on": "2022-05-01"})
    assert skip.status_code == 409
    assert skip.json()["detail"] == "只能从“签约”推进到“注册”，不能直接改为“开工”"
    back = post(client, url, {"to": "registered", "moved_on": "2022-03-15"})
    assert back.status_code == 409 and "不能早于上一次推进的日期（2022-04-01）" in back.json()["detail"]
    business_date("2022-06-01")
    future = post(client, url, {"to": "registered", "moved_on": "2022-06-02"})  # after the business date
    assert future.status_code == 409 and "不能晚于今天" in future.json()["detail"]
    deal.refresh_from_db()
    assert deal.stage == "signed" and deal.registered_on is None
    assert not AuditEntry.objects.filter(object_type="promotion.deal", object_id=str(deal.pk), action="stage").exists()


def test_the_move_form_on_the_page(make_deal, client_for):
    deal = make_deal(dates=[dt.date(2022, 3, 1)])
    client = client_for("jinshui")
    page = client.post(f"/promotion/deals/{deal.pk}/move/", {"to": "registered", "moved_on": "2022-04-01"})
    assert page.status_code == 409 and "只能从“在谈”推进到“签约”" in page.content.decode()
    ok = client.post(f"/promotion/deals/{deal.pk}/move/", {"to": "signed", "moved_on": "2022-04-01"})
    assert ok.status_code == 302
    deal.refresh_from_db()
    assert deal.stage == "signed"
    entry = AuditEntry.objects.get(object_type="promotion.deal", object_id=str(deal.pk), action="stage")
    assert entry.source == "web"


def test_read_only_roles_cannot_move(make_deal, client_for):
    deal = make_deal(dates=[dt.date(2022, 3, 1)])
    assert post(client_for("leader"), f"/api/v1/promotion/deals/{deal.pk}/move/",
                {"to": "signed", "moved_on": "2022-04-01"}).status_code == 403


def test_conversion_keeps_the_link_and_the_numbers(make_deal, client_for, users):
    deal = make_deal(amount_yi=35.1234, dates=[dt.date(2022, 2, 1), dt.date(2022, 4, 8)], leader="金水区区长",
                     category="industrial", field="advanced_manufacturing", name="新能源汽车零部件产业园",
                     investor="某汽车集团有限公司", leading_industry="automobile_equipment")
    client = client_for("jinshui")
    response = post(client, f"/api/v1/promotion/deals/{deal.pk}/convert/", {"planned_start": "2022-09-01"})
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["project"])
    deal.refresh_from_db()
    assert deal.project == project
    assert project.total_investment_yuan == deal.amount_yuan == wan_to_yuan("351234")
    assert (project.name, project.unit.code, project.owner_name, project.leading_industry, project.leader,
            project.category, project.field, project.stage, project.planned_start) == (
        "新能源汽车零部件产业园", "jinshui", "某汽车集团有限公司", "automobile_equipment", "金水区区长", "industrial",
        "advanced_manufacturing", "reserve", dt.date(2022, 9, 1))
    assert "promotion" in project.tag_codes()
    assert AuditEntry.objects.filter(object_type="projects.project", object_id=str(project.pk),
                                     action="create").count() == 1
    link = AuditEntry.objects.get(object_type="promotion.deal", object_id=str(deal.pk), action="update")
    assert (link.before["project"], link.after["project"]) == (None, project.pk)
    again = post(client, f"/api/v1/promotion/deals/{deal.pk}/convert/", {})
    assert again.status_code == 409 and "已转入项目库" in again.json()["detail"]
    page = client.get(f"/promotion/deals/{deal.pk}/").content.decode()
    assert f'href="/projects/{project.pk}/"' in page


def test_a_deal_under_negotiation_cannot_be_converted(make_deal, client_for):
    deal = make_deal(dates=[dt.date(2022, 3, 1)])
    response = post(client_for("jinshui"), f"/api/v1/promotion/deals/{deal.pk}/convert/", {})
    assert response.status_code == 409 and "签约后才能转入项目库" in response.json()["detail"]
    assert Project.objects.count() == 0


def test_conversion_on_the_page(make_deal, client_for):
    deal = make_deal(dates=[dt.date(2022, 3, 1), dt.date(2022, 4, 1)])
    response = client_for("jinshui").post(f"/promotion/deals/{deal.pk}/convert/")
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.project is not None and deal.project.total_investment_yuan == deal.amount_yuan


def test_bad_input_is_a_chinese_message_per_field(client_for):
    response = post(client_for("jinshui"), "/api/v1/promotion/deals/", {
        "unit": "zhongyuan", "name": "", "investor": "x", "amount_yi": "-1", "leading_industry": "steel"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["unit"] == ["只能为本单位登记招商项目"]
    assert body["errors"]["name"] == ["必填"]
    assert "金额应大于0" in body["errors"]["amount"][0]
    assert not Deal.objects.exists()
    response = post(client_for("jinshui"), "/api/v1/promotion/deals/", {
        "unit": "jinshui", "name": "a", "investor": "x", "amount_yi": "abc", "leading_industry": "steel"})
    errors = response.json()["errors"]
    assert "金额应为数字" in errors["amount"][0] and "未知的主导产业链" in errors["leading_industry"][0]


def test_tiers_against_targets_per_unit_and_city(make_deal, client_for):
    signed = [dt.date(2022, 1, 5), dt.date(2022, 2, 1)]
    make_deal("jinshui", amount_yi=100, leading_industry="", dates=signed)
    make_deal("jinshui", amount_yi=5, leading_industry="biomedicine", dates=signed)
    make_deal("jinshui", amount_yi=5, leading_industry="", dates=signed)  # 5亿 outside a chain: no band
    make_deal("zhongyuan", amount_yi=30, leading_industry="", dates=[*signed, dt.date(2022, 3, 1),
                                                                      dt.date(2022, 4, 1)])
    make_deal("zhongyuan", amount_yi=10, dates=[dt.date(2022, 1, 5)])  # negotiating: not counted
    make_deal("zhongyuan", amount_yi=12, dates=[dt.date(2021, 11, 1), dt.date(2021, 12, 1)])  # last year
    body = client_for("jinshui").get("/api/v1/promotion/tiers/?year=2022").json()
    assert [b["target"] for b in body["bands"]] == [16, 8, 24, 56]
    assert body["signed_amount_target_yi"] == "6500"
    assert body["city"]["counts"] == {"yi100": 1, "yi30": 1, "yi10": 0, "yi5": 1}
    assert (body["city"]["signed_deals"], body["city"]["signed_amount_yi"], body["city"]["landed"]) == (
        4, "140.0000", 1)
    units = {u["org"]: u for u in body["units"]}
    assert units["jinshui"]["counts"] == {"yi100": 1, "yi30": 0, "yi10": 0, "yi5": 1}
    assert units["jinshui"]["signed_amount_yi"] == "110.0000"
    assert units["zhongyuan"]["counts"] == {"yi100": 0, "yi30": 1, "yi10": 0, "yi5": 0}
    assert units["erqi"]["signed_deals"] == 0
    assessment = client_for("jinshui").get("/api/v1/promotion/assessment/?year=2022").json()["results"]
    assert assessment[0]["org"] == "jinshui" and assessment[0]["rank"] == 1


def test_tiers_and_the_assessment_are_refused_to_the_administrators_and_read_by_the_system(make_deal, client_for,
                                                                                             users):
    make_deal("jinshui", amount_yi=100, leading_industry="", dates=[dt.date(2022, 1, 5), dt.date(2022, 2, 1)])
    for admin in ("sysadmin", "auditor"):
        assert client_for(admin).get("/api/v1/promotion/tiers/?year=2022").status_code == 403
        assert client_for(admin).get("/api/v1/promotion/assessment/?year=2022").status_code == 403
        with pytest.raises(PermissionRefused):
            selectors.tier_summary(user=users[admin], year=2022)
        with pytest.raises(PermissionRefused):
            selectors.annual_assessment(user=users[admin], year=2022)
    assert selectors.tier_summary(user=SYSTEM, year=2022).city.tally.counts["yi100"] == 1
    assert selectors.annual_assessment(user=SYSTEM, year=2022)[0]["org"] == "jinshui"
    assert [r["deal"].unit.code for r in selectors.stalled(user=SYSTEM, as_of=dt.date(2022, 12, 31))] == ["jinshui"]


def test_cli_assessment_prints_tiers_against_targets(make_deal):
    make_deal("jinshui", amount_yi=150, dates=[dt.date(2022, 1, 5), dt.date(2022, 2, 1)])
    out = io.StringIO()
    call_command("promotion_assessment", "--year", "2022", stdout=out)
    text = out.getvalue()
    assert "2022年全市签约1个，签约金额150.00亿元（目标6500亿元）" in text
    assert "百亿级头部企业项目：1个（目标16个）" in text


def test_list_page_and_its_query_count(make_deal, client_for, django_assert_max_num_queries):
    for i in range(12):
        make_deal("jinshui" if i % 2 else "zhongyuan", amount_yi=5 + i * 10,
                  dates=[dt.date(2022, 1, 5), dt.date(2022, 2, 1)])
    client = client_for("fgw")
    client.get("/promotion/")
    with django_assert_max_num_queries(30):
        response = client.get("/promotion/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="tiers"' in html and 'data-testid="assessment"' in html


def test_export_is_a_real_workbook_in_scope(make_deal, client_for):
    make_deal("jinshui", amount_yi=50, dates=[dt.date(2022, 1, 5), dt.date(2022, 2, 1)], name="金水甲")
    make_deal("zhongyuan", amount_yi=50, dates=[dt.date(2022, 1, 5), dt.date(2022, 2, 1)], name="中原乙")
    response = client_for("jinshui").get("/promotion/export.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content))["招商项目"].iter_rows(values_only=True))
    assert rows[0][:4] == ("单位", "项目名称", "投资方", "签约金额（亿元）")
    assert [r[1] for r in rows[1:]] == ["金水甲"]
    assert rows[1][5] == "30亿元以上项目"


def test_big_event_signings_are_tracked_as_a_group(make_deal, client_for, system_context):
    created = post(client_for("fgw"), "/api/v1/promotion/events/", {"name": "2022年重大项目集中签约活动",
                                                                   "held_on": "2022-04-08"})
    assert created.status_code == 201
    event = created.json()["id"]
    make_deal("jinshui", amount_yi=50, dates=[dt.date(2022, 3, 1), dt.date(2022, 4, 8)], signing_event_id=event)
    make_deal("zhongyuan", amount_yi=20, dates=[dt.date(2022, 3, 1), dt.date(2022, 4, 8), dt.date(2022, 5, 1),
                                                 dt.date(2022, 6, 1)], signing_event_id=event)
    rows = client_for("fgw").get("/api/v1/promotion/events/").json()
    assert rows[0]["deals"] == 2 and rows[0]["amount_yi"] == "70.0000" and rows[0]["landed"] == 1
    own = client_for("jinshui").get("/api/v1/promotion/events/").json()
    assert own[0]["deals"] == 1
    assert client_for("fgw").get(f"/api/v1/promotion/deals/?event={event}").json()["count"] == 2
    assert "2022年重大项目集中签约活动" in client_for("fgw").get(f"/promotion/?event={event}").content.decode()
    assert post(client_for("jinshui"), "/api/v1/promotion/events/", {"name": "x", "held_on": "2022-04-08"}
                ).status_code == 403


def test_a_unit_records_a_deal_on_the_page(client_for):
    client = client_for("jinshui")
    assert client.get("/promotion/deals/new/").status_code == 200
    bad = client.post("/promotion/deals/new/", {"unit": "jinshui", "name": "甲", "investor": "乙", "amount": "abc"})
    assert bad.status_code == 400 and "金额应为数字" in bad.content.decode()
    other = client.post("/promotion/deals/new/", {"unit": "zhongyuan", "name": "甲", "investor": "乙", "amount": "5"})
    assert other.status_code == 400 and "只能为本单位登记招商项目" in other.content.decode()
    ok = client.post("/promotion/deals/new/", {"unit": "jinshui", "name": "生物医药产业园", "investor": "某医药集团",
                                               "amount": "12.5", "leading_industry": "biomedicine",
                                               "negotiating_since": "2022-05-01", "principal_leader": "on"})
    assert ok.status_code == 302
    deal = Deal.objects.get(name="生物医药产业园")
    assert (deal.amount_yuan, deal.principal_leader, deal.stage) == (1_250_000_000, True, "negotiating")
    assert client_for("leader").get("/promotion/deals/new/").status_code == 403


def test_leader_task_force_and_event_are_updated_with_the_version_and_audited(make_deal, client_for):
    deal = make_deal(dates=[dt.date(2022, 3, 1), dt.date(2022, 4, 1)])
    client = client_for("jinshui")
    event = post(client_for("fgw"), "/api/v1/promotion/events/", {"name": "集中签约", "held_on": "2022-04-08"}).json()
    url = f"/api/v1/promotion/deals/{deal.pk}/"
    ok = client.patch(url, {"version": 1, "leader": "金水区区长", "principal_leader": True, "task_force": "工作专班",
                            "signing_event": event["id"]}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    assert (ok.json()["leader"], ok.json()["signing_event"], ok.json()["version"]) == ("金水区区长", event["id"], 2)
    stale = client.patch(url, {"version": 1, "leader": "x"}, content_type="application/json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    signed = client.patch(url, {"version": 2, "amount_yi": "500"}, content_type="application/json")
    assert signed.status_code == 409 and "签约后金额" in signed.json()["detail"]
    entry = AuditEntry.objects.get(object_type="promotion.deal", object_id=str(deal.pk), action="update")
    assert (entry.before["leader"], entry.after["leader"]) == ("", "金水区区长")
    assert client_for("zhongyuan").patch(url, {"version": 2, "leader": "y"},
                                         content_type="application/json").status_code == 404
