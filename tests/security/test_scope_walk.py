"""The URL walk proves scope (issue 14): for every route that takes an object id, a unit user gets
404 for another unit's object.

The walk collects every route of the URL conf with a path parameter (pages, ``/api/v1/``, DRF
routers, nested includes). Each must stand in :data:`REGISTRY` — a factory makes a 中原区 object
and gives the route's kwargs; 金水区 (``jinshui``) must get 404 for it, and the object's own side
(``zhongyuan``, or the city role that acts on it) must *not* get 404, so that the factory really
made a reachable object — or in :data:`NOT_SCOPED` with the reason its key names no unit's object.
A new route in neither fails :func:`test_every_route_with_an_object_id_is_walked`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tuijin.audit.context import audit_context

from .scope_factories import PDF, PERIOD, World

pytestmark = pytest.mark.django_db

#: A path parameter: a converter ``<int:pk>`` or a regex group ``(?P<pk>…)`` (DRF routers).
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")
#: A positional regex group ``(…)`` of a ``re_path`` (not ``(?:…)``, ``(?P<…>…)`` or an escaped parenthesis).
UNNAMED_GROUP = re.compile(r"(?<!\\)\((?!\?)")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else prefix + str(pattern.pattern), \
                prefix + str(pattern.pattern)


def routes_with_object_ids() -> dict[str, str]:
    """URL name → route, for every route with a path parameter other than DRF's ``format`` suffix."""
    found: dict[str, str] = {}
    for name, route in _walk(get_resolver()):
        params = {a or b for a, b in PARAMETER.findall(route)} - {"format"}
        if (params or UNNAMED_GROUP.search(route)) and not route.startswith("static"):
            found.setdefault(name, route)
    return found


@dataclass(frozen=True)
class Case:
    """How to reach one route: ``make`` builds the 中原区 object and returns the route's kwargs."""

    make: Callable[[World], dict[str, Any]]
    method: str = "get"
    #: Who must reach the object (not 404): its unit, or the city role that acts on it.
    owner: str = "zhongyuan"
    #: Why a refusal (not 404) is right for the unit user: an action the role may never take at all.
    forbidden: str = ""
    #: The refusal's status when ``forbidden``: 403, or 302 where a page shows the refusal as a message.
    refusal: int = 403
    #: The body of a POST: empty, or the minimal valid one where the body is checked before the object is
    #: looked up (a callable for a fresh upload each time).
    data: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
    #: How an API body is sent: JSON, or multipart for an upload.
    multipart: bool = False


def project(w: World) -> dict[str, Any]:
    return {"pk": w.project.pk}


def unit_period(w: World) -> dict[str, Any]:
    w.project  # noqa: B018  (the unit has a project to report)
    return {"period": PERIOD, "unit": "zhongyuan"}


def unit_row(w: World) -> dict[str, Any]:
    return {"period": PERIOD, "unit": "zhongyuan", "project_id": w.report.project_id}


def pk(attribute: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": getattr(w, attribute).pk}


def job(kind: str = "import", by: str = "zhongyuan") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w.job(kind=kind, by=by).pk}


ACCOUNTS = "只有安全管理员管理账户（三员分立）：单位用户在任何单位都不能打开账户"
AUDIT = "只有审计管理员读审计日志：单位用户对任何条目都被拒绝"
CITY_FOLLOW_UP = "约谈跟进只由督查室或市发展改革委记录，单位用户对任何单位都不能"
CITY_BOND_REVIEW = ("补充申报只由市发展改革委审核（先查角色、不读对象：单位用户对任何单位的申报都得到同样的"
                    "拒绝）；页面把拒绝显示为提示并返回（302），API 答 403")
CITY_TARGETS = "年度目标只由市发展改革委调整，单位用户对任何单位都不能"

REGISTRY: dict[str, Case] = {
    # Projects
    "projects:detail": Case(project),
    "projects:edit": Case(project),
    "projects:advance": Case(project, "post"),
    "projects:detail-export": Case(project),
    "api:project-detail": Case(project),
    "api:project-advance": Case(project, "post"),
    # Monthly reporting: the unit's slug is the key
    "reporting:unit-period": Case(unit_period),
    "reporting:template": Case(unit_period),
    "reporting:upload": Case(unit_period, "post"),
    "reporting:submit": Case(unit_period, "post"),
    "reporting:approve": Case(unit_period, "post", owner="fgw"),
    "reporting:return": Case(unit_period, "post", owner="fgw"),
    "reporting:row": Case(unit_row),
    "reporting:row-edit": Case(unit_row),
    "reporting:correction-new": Case(pk("report")),
    "reporting:correction-decide": Case(pk("correction"), "post", owner="fgw", data={"decision": "reject"}),
    "api:period-submit": Case(unit_period, "post"),
    "api:period-approve": Case(unit_period, "post", owner="fgw"),
    "api:period-return-": Case(unit_period, "post", owner="fgw"),
    "api:progress-detail": Case(pk("report")),
    # Background jobs: another user's job is not found
    "jobs:detail": Case(job()),
    "jobs:progress": Case(job()),
    "api:job-detail": Case(job()),
    # Bulletins: city-wide readers only; a unit finds no bulletin and no bulletin job
    "bulletins:job": Case(job("bulletin", "fgw"), owner="fgw"),
    "bulletins:job-status": Case(job("bulletin", "fgw"), owner="fgw"),
    "bulletins:download": Case(lambda w: {"pk": w.bulletin.pk, "kind": "docx"}, owner="fgw"),
    # Problems
    "problems:detail": Case(pk("problem")),
    "problems:act": Case(pk("problem"), "post"),
    "problems:comment": Case(pk("problem"), "post"),
    "problems:reroute": Case(pk("problem"), "post", owner="fgw"),
    "problems:attach": Case(pk("problem"), "post"),
    "problems:attachment": Case(pk("problem_attachment")),
    "api:problem-detail": Case(pk("problem")),
    "api:problem-act": Case(pk("problem"), "post"),
    "api:problem-comments": Case(pk("problem"), "post"),
    # Supervision tasks
    "supervision:detail": Case(pk("task")),
    "supervision:follow-up": Case(pk("task"), "post"),
    "supervision:close": Case(pk("task"), "post"),
    "supervision:extend": Case(pk("task"), "post", owner="dcs"),
    "supervision:evidence": Case(pk("task")),
    "api:supervision-task-detail": Case(pk("task")),
    "api:supervision-task-close": Case(pk("task"), "post"),
    "api:supervision-task-follow-ups": Case(pk("task"), "post"),
    # Notifications: another user's notification is not found
    "notifications:read": Case(pk("notification"), "post"),
    "api:notification-read": Case(pk("notification"), "post"),
    # Special bonds
    "bonds:quota": Case(pk("quota")),
    "bonds:issue": Case(pk("quota"), "post"),
    "bonds:spend": Case(pk("quota"), "post"),
    "bonds:application-review": Case(pk("bond_application"), "post", owner="fgw", forbidden=CITY_BOND_REVIEW,
                                     refusal=302),
    "api:bond-quota-detail": Case(pk("quota")),
    "api:bond-application-review": Case(pk("bond_application"), "post", owner="fgw", forbidden=CITY_BOND_REVIEW,
                                        data={"status": "rejected", "note": "收益不足"}),
    # Investment promotion
    "promotion:detail": Case(pk("deal")),
    "promotion:move": Case(pk("deal"), "post"),
    "promotion:convert": Case(pk("deal"), "post"),
    "api:promotion-deal-detail": Case(pk("deal")),
    "api:promotion-deal-move": Case(pk("deal"), "post", data={"to": "signed"}),
    "api:promotion-deal-convert": Case(pk("deal"), "post"),
    # Incentives
    "incentives:decide": Case(pk("proposal"), "post", owner="fgw"),
    "incentives:application": Case(pk("application")),
    "incentives:application-action": Case(lambda w: {"pk": w.application.pk, "action": "reject"}, "post",
                                          owner="fgw"),
    "incentives:attachment": Case(lambda w: {"pk": w.application.pk,
                                             "attachment_id": w.incentive_attachment.pk}),
    "api:incentives-proposal": Case(pk("proposal")),
    "api:incentives-proposal-confirm": Case(pk("proposal"), "post", owner="gxj"),
    "api:incentives-proposal-reject": Case(pk("proposal"), "post", owner="gxj"),
    "api:incentives-application": Case(pk("application")),
    "api:incentives-application-review": Case(pk("application"), "post", owner="fgw"),
    "api:incentives-application-approve": Case(pk("application"), "post", owner="czj"),
    "api:incentives-application-pay": Case(pk("application"), "post", owner="czj"),
    "api:incentives-application-reject": Case(pk("application"), "post", owner="fgw"),
    "api:incentives-application-attachments": Case(pk("application"), "post", multipart=True, data=lambda: {
        "file": SimpleUploadedFile("贷款合同.pdf", PDF, content_type="application/pdf")}),
    # REITs
    "reits:detail": Case(pk("reits_entry")),
    "reits:update": Case(pk("reits_entry"), "post"),
    "reits:move": Case(pk("reits_entry"), "post"),
    "api:reits-entry": Case(pk("reits_entry")),
    "api:reits-move": Case(pk("reits_entry"), "post", data={"to": "screening", "on": "2022-06-01"}),
    # Assessment: the city's actions on a unit
    "assessment:escalation-follow-up": Case(pk("escalation"), "post", owner="fgw", forbidden=CITY_FOLLOW_UP),
    "assessment:target-edit": Case(lambda w: {"unit": "zhongyuan", "indicator": "fai"}, owner="fgw",
                                   forbidden=CITY_TARGETS),
    # Accounts, tokens, audit
    "orgs:account-edit": Case(lambda w: {"pk": w.owner.pk}, owner="secadmin", forbidden=ACCOUNTS),
    "orgs:account-reset-password": Case(lambda w: {"pk": w.owner.pk}, "post", owner="secadmin",
                                        forbidden=ACCOUNTS),
    "api:user-detail": Case(lambda w: {"pk": w.owner.pk}, owner="secadmin", forbidden=ACCOUNTS),
    "api:user-reset-password": Case(lambda w: {"pk": w.owner.pk}, "post", owner="secadmin", forbidden=ACCOUNTS),
    "api:api-token-revoke": Case(pk("api_token"), "post"),
    "api:audit-entry-detail": Case(pk("audit_entry"), owner="auditor", forbidden=AUDIT),
}

#: Routes with two keys, the first the unit user's own (reachable) and the second another unit's object:
#: the second key must not ride on the first. Each gives the route's kwargs and a control — a route and
#: kwargs with the first key alone that 金水区 does reach (so the 404 is the second key's).
MIXED: dict[str, tuple[Callable[[World], dict[str, Any]], Callable[[World], tuple[str, dict[str, Any]]]]] = {
    "reporting:row": (lambda w: {"period": PERIOD, "unit": "jinshui", "project_id": w.report.project_id},
                      lambda w: ("reporting:unit-period", {"period": PERIOD, "unit": "jinshui"})),
    "reporting:row-edit": (lambda w: {"period": PERIOD, "unit": "jinshui", "project_id": w.report.project_id},
                           lambda w: ("reporting:unit-period", {"period": PERIOD, "unit": "jinshui"})),
    "incentives:attachment": (lambda w: {"pk": w.made.setdefault("own", w.application_of("jinshui")).pk,
                                         "attachment_id": w.incentive_attachment.pk},
                              lambda w: ("incentives:application", {"pk": w.made["own"].pk})),
}

#: Routes whose key names no unit's object, each with its reason. What they show is still read through
#: the user's scope (their own tests prove that); here there is no other unit's object to be refused.
NOT_SCOPED: dict[str, str] = {
    "api:org-detail": "组织目录：每个登录用户都可查看的公开名录（编码、名称、类型），不属于某个单位",
    "api:period-detail": "报送期（YYYY-MM）是全市的月份；其各单位行按用户范围过滤",
    "supervision:meeting-docx": "周例会议题按周（YYYY-Www）生成，议题内容按用户范围读取",
    "programmes:programme": "项目推进计划（三个一批等）的名称，全市口径；数字按用户范围汇总",
    "programmes:projects": "计划名称下钻，项目列表按用户范围过滤",
    "api:programmes-figures": "计划名称，全市口径；数字按用户范围汇总",
    "api:programmes-drill": "计划名称下钻，项目列表按用户范围过滤",
    "programmes:batch-report": "三个一批的期数是全省统一的批次，报表中的条目按用户范围过滤",
    "api:programmes-batch-entries": "三个一批的期数是全省统一的批次，条目按用户范围过滤",
}

#: What the object's own side may get: found, whether or not the empty body is accepted.
REACHED = {200, 201, 302, 400, 409}


@pytest.fixture
def world(orgs, users, make_project, settings, tmp_path) -> World:
    from tuijin.orgs.models import User

    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INCENTIVE_ATTACHMENT_DIR = tmp_path / "incentives"
    with audit_context(source="system", reason="test fixture"):  # 财政局 approves and pays incentives
        czj = User(username="czj", org=orgs["czj"], roles=["department"], full_name="czj")
        czj.set_password("Tuijin@2022!")
        czj.save()
    users["czj"] = czj
    return World(orgs=orgs, users=users, make_project=make_project)


def test_every_route_with_an_object_id_is_walked():
    """A new route with an object id fails here until it has a factory or a reason."""
    found = routes_with_object_ids()
    assert sorted(set(found) - set(REGISTRY) - set(NOT_SCOPED)) == []
    assert sorted((set(REGISTRY) | set(NOT_SCOPED)) - set(found)) == []  # no stale entries
    assert set(REGISTRY).isdisjoint(NOT_SCOPED)


def _request(client, case: Case, path: str):
    if case.method == "get":
        return client.get(path)
    data = (case.data() if callable(case.data) else case.data) or {}
    if path.startswith("/api/") and not case.multipart:
        return getattr(client, case.method)(path, data, content_type="application/json")
    return getattr(client, case.method)(path, data)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_unit_user_gets_404_for_another_units_object(name, world, client_for):
    case = REGISTRY[name]
    path = reverse(name, kwargs=case.make(world))

    status = _request(client_for("jinshui"), case, path).status_code
    if case.forbidden:
        assert status in (case.refusal, 404), f"{path}: 金水区 got {status}"
    else:
        assert status == 404, f"{path}: 金水区 got {status} for a 中原区 object"

    owner_status = _request(client_for(case.owner), case, path).status_code
    assert owner_status in REACHED, f"{path}: {case.owner} got {owner_status} (the factory's object not reached)"


@pytest.mark.parametrize("name", sorted(MIXED))
def test_another_units_object_does_not_ride_on_the_users_own_key(name, world, client_for):
    make, control = MIXED[name]
    client = client_for("jinshui")
    path = reverse(name, kwargs=make(world))
    assert client.get(path).status_code == 404, f"{path}: 金水区 reached a 中原区 object through its own key"
    control_name, control_kwargs = control(world)
    assert client.get(reverse(control_name, kwargs=control_kwargs)).status_code == 200
