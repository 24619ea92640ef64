"""The REITs pipeline: stage rules, the three lists, audit, scope, API and export."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from tuijin.audit.models import AuditEntry
from tuijin.reits import services
from tuijin.reits.models import ReitsMove
from tuijin.reits.rules import reits_move_problems
from tuijin.toolkit.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db

STAGES = ("planning", "screening", "filing", "issued", "operating")
TODAY = dt.date(2022, 8, 1)


def problems(**kw):
    base = {"stages": STAGES, "current": "planning", "to": "screening", "in_reserve": False, "issue_date": None,
            "issue_amount_yuan": None, "operating_since": None, "on": dt.date(2022, 3, 1), "last_move_on": None,
            "today": TODAY}
    base.update(kw)
    return reits_move_problems(**base)


@pytest.mark.parametrize(("kw", "expected"), [
    ({}, []),
    ({"to": "filing"}, ["阶段须逐级推进，不能跳过中间阶段", "申报前须纳入国家发展改革委基础设施REITs储备项目库"]),
    ({"current": "screening", "to": "planning"}, ["阶段只能向前推进，不能停留或退回"]),
    ({"current": "screening", "to": "screening"}, ["阶段只能向前推进，不能停留或退回"]),
    ({"current": "screening", "to": "filing"}, ["申报前须纳入国家发展改革委基础设施REITs储备项目库"]),
    ({"current": "screening", "to": "filing", "in_reserve": True}, []),
    ({"current": "filing", "to": "issued", "in_reserve": True}, ["发行须填写发行日期", "发行须填写发行规模"]),
    ({"current": "filing", "to": "issued", "issue_date": dt.date(2022, 6, 1), "issue_amount_yuan": 1}, []),
    ({"current": "issued", "to": "operating"}, ["运营须填写运营起始日期"]),
    ({"current": "issued", "to": "operating", "issue_date": dt.date(2022, 6, 1),
      "operating_since": dt.date(2022, 5, 1)}, ["运营起始日期不能早于发行日期"]),
    ({"on": dt.date(2022, 9, 1)}, ["变更日期不能晚于今天"]),
    ({"last_move_on": dt.date(2022, 4, 1)}, ["变更日期不能早于上一次变更（2022-04-01）"]),
    ({"to": "sold"}, ["未知的阶段“sold”"]),
])
def test_stage_rules(kw, expected):
    assert problems(**kw) == expected


def test_an_entry_moves_forward_dated_and_audited_and_its_list_follows(act, users, entry):
    assert entry.stage == "planning" and entry.batch_list == "planning"
    act(users["jinshui"], services.entry_move, entry_id=entry.pk, to="screening", on="2022-03-01", reason="入选遴选名单")
    with pytest.raises(Conflict, match="储备项目库"):
        act(users["jinshui"], services.entry_move, entry_id=entry.pk, to="filing", on="2022-04-01")
    e = act(users["jinshui"], services.entry_update, entry_id=entry.pk, data={"in_national_reserve": True})
    assert e.batch_list == "reserve"
    e = act(users["jinshui"], services.entry_move, entry_id=entry.pk, to="filing", on="2022-04-01")
    assert e.batch_list == "pilot"
    with pytest.raises(Conflict, match="发行规模"):
        act(users["jinshui"], services.entry_move, entry_id=entry.pk, to="issued", on="2022-06-20",
            issue_date="2022-06-20")
    e = act(users["jinshui"], services.entry_move, entry_id=entry.pk, to="issued", on="2022-06-20",
            issue_date="2022-06-20", issue_amount_wan="98000")
    assert e.stage == "issued" and e.issue_amount_wan == 98000
    with pytest.raises(ValidationFailed):
        act(users["jinshui"], services.entry_update, entry_id=entry.pk, data={"in_national_reserve": False})
    moves = list(ReitsMove.objects.filter(entry=entry).values_list("from_stage", "to_stage", "on"))
    assert moves == [("", "planning", dt.date(2022, 2, 10)), ("planning", "screening", dt.date(2022, 3, 1)),
                     ("screening", "filing", dt.date(2022, 4, 1)), ("filing", "issued", dt.date(2022, 6, 20))]
    stages = [(e.before["stage"], e.after["stage"]) for e in
              AuditEntry.objects.filter(object_type="reits.reitsentry", action="stage").order_by("id")]
    assert stages == [("planning", "screening"), ("screening", "filing"), ("filing", "issued")]


def test_bad_dates_and_amounts_are_named(act, users, entry):
    with pytest.raises(ValidationFailed) as caught:
        act(users["jinshui"], services.entry_move, entry_id=entry.pk, to="screening", on="2022-13-01")
    assert "on" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        act(users["jinshui"], services.entry_update, entry_id=entry.pk, data={"pre_expenses_wan": "-5"})
    assert caught.value.errors == {"pre_expenses_wan": ["前期经费（万元）：不能为负数"]}


def test_scope_other_units_get_404_and_readers_cannot_write(act, users, entry, client_for):
    with pytest.raises(NotFound):
        act(users["zhongyuan"], services.entry_move, entry_id=entry.pk, to="screening", on="2022-03-01")
    with pytest.raises(PermissionRefused):
        act(users["gxj"], services.entry_move, entry_id=entry.pk, to="screening", on="2022-03-01")
    assert client_for("zhongyuan").get(f"/reits/{entry.pk}/").status_code == 404
    assert client_for("jinshui").get(f"/reits/{entry.pk}/").status_code == 200
    api = APIClient()
    api.force_authenticate(users["zhongyuan"])
    assert api.get(f"/api/v1/reits/{entry.pk}/").status_code == 404
    assert api.get("/api/v1/reits/").json()["count"] == 0
    assert api.post(f"/api/v1/reits/{entry.pk}/move/", {"to": "screening", "on": "2022-03-01"},
                    format="json").status_code == 404
    export = client_for("zhongyuan").get("/reits/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.active.max_row == 1  # headers only


def test_the_api_moves_a_stage_and_refuses_a_skip_with_409(users, entry):
    api = APIClient()
    api.force_authenticate(users["jinshui"])
    response = api.post(f"/api/v1/reits/{entry.pk}/move/", {"to": "filing", "on": "2022-03-01"}, format="json")
    assert response.status_code == 409 and "逐级" in response.json()["detail"]
    response = api.post(f"/api/v1/reits/{entry.pk}/move/", {"to": "screening", "on": "2022-03-01"}, format="json")
    assert response.status_code == 200 and response.json()["stage"] == "screening"
    assert [m["to_stage"] for m in response.json()["moves"]] == ["planning", "screening"]
    bad = api.post(f"/api/v1/reits/{entry.pk}/move/", {"to": "filing"}, format="json")
    assert bad.status_code == 400 and "on" in bad.json()["errors"]


def test_the_export_is_a_real_workbook(client_for, entry):
    response = client_for("fgw").get("/reits/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("项目编号", "项目名称", "报送单位", "资产类型", "原始权益人", "阶段")
    assert rows[1][3] == "产业园区" and rows[1][5] == "谋划" and rows[1][9] == 260
    api = APIClient()
    from tuijin.orgs.models import User

    api.force_authenticate(User.objects.get(username="gxj"))
    assert api.get("/api/v1/reits/export.xlsx").status_code == 200


def test_the_list_page_runs_a_bounded_number_of_queries(client_for, act, users, make_project,
                                                         django_assert_max_num_queries):
    for _ in range(8):
        p = make_project("jinshui", category="infrastructure")
        act(users["jinshui"], services.entry_create, project_id=p.pk, data={})
    client = client_for("fgw")
    with django_assert_max_num_queries(20):
        response = client.get("/reits/")
    assert response.status_code == 200 and response.content.decode().count("data-entry=") == 8
