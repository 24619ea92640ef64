"""OC4IDS 0.9.5 project package of the project library (beyond the seed; issue 6 item 9).

Only the fields the plan marks public (``rules.open_data.public_fields``) are published; owners'
credit codes, contacts and phone numbers never are. The package holds the projects the user may
see (optionally one unit's), mapped as:

* stage → ``status`` (reserve identification, ready preparation, construction implementation,
  completed completion, cancelled cancelled); nature → ``type``; field → ``sector``;
* total investment → ``budget.amount`` (CNY); special-bond funds → ``budget.finance`` (type bond);
* planned dates → ``period``, actual dates → ``implementationPeriod``;
* address and coordinates → ``locations`` (GeoJSON point);
* the reporting unit → ``publicAuthority`` and ``parties``;
* ``id`` → the city's key and the project's own id (``zhengzhou-16``), the same under every year's plan;
* approved monthly reports → ``metrics`` ``financialProgress`` (cumulative investment) and
  ``physicalProgress`` (percent complete, with the physical-progress text).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from tuijin.orgs.models import User
from tuijin.plan import current_plan
from tuijin.projects.models import FundingSource, Project
from tuijin.reporting.models import ProgressReport, SubmissionStatus
from tuijin.toolkit import clock

VERSION = "0.9"
STATUS = {"reserve": "identification", "ready": "preparation", "construction": "implementation",
          "completed": "completion", "cancelled": "cancelled"}
PROJECT_TYPE = {"new": "construction", "expansion": "expansion", "renovation": "rehabilitation"}
TZ = dt.timezone(dt.timedelta(hours=8))


def _datetime(day: dt.date | None) -> str | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=TZ).isoformat()


def _amount(yuan: int) -> dict[str, Any]:
    return {"amount": yuan, "currency": "CNY"}


def oc4ids_projects(*, user: User, unit: str | None = None) -> QuerySet[Project]:
    qs = Project.objects.visible_to(user).select_related("unit")
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by("unit__sort_order", "id")


def project_package(*, user: User, unit: str | None = None, projects: QuerySet[Project] | None = None
                    ) -> dict[str, Any]:
    """The package dict (JSON-ready) for the user's projects (or one unit's). Three queries."""
    plan = current_plan()
    rule = plan.rules.open_data
    public = set(rule.public_fields) if rule else {"project_code", "name", "stage"}
    projects = list(projects if projects is not None else oc4ids_projects(user=user, unit=unit))
    ids = [p.pk for p in projects]
    reports: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if "progress" in public and ids:
        for row in (ProgressReport.objects.filter(project_id__in=ids, status=SubmissionStatus.APPROVED)
                    .order_by("project_id", "period__year", "period__month")
                    .values("project_id", "period__code", "period__year", "period__month", "cumulative_amount_yuan",
                            "percent_complete", "physical_progress")):
            reports[row["project_id"]].append(row)
    bonds: dict[int, int] = {}
    if "special_bond" in public and ids:
        bonds = dict(FundingSource.objects.filter(project_id__in=ids, source="special_bond", planned_yuan__gt=0)
                     .values_list("project_id", "planned_yuan"))
    fields = {f.code: f.name for f in plan.fields}
    # Ids leave the platform: they must not change when a new year's plan comes in (``zhengzhou-16``,
    # not ``zhengzhou-2022-16``), so the city's key and the project's own id, never the plan's id.
    prefix = plan.meta.city_key
    published = clock.real_now().astimezone(TZ).replace(microsecond=0)
    return {
        "uri": f"{rule.uri if rule else 'https://example.invalid/oc4ids/'}{'?unit=' + unit if unit else ''}",
        "publishedDate": published.isoformat(),
        "version": VERSION,
        "publisher": {"name": rule.publisher if rule else plan.meta.issuer or plan.meta.city},
        "projects": [_project(p, public=public, reports=reports.get(p.pk, []), bond_yuan=bonds.get(p.pk),
                              fields=fields, prefix=prefix) for p in projects],
    }


def _project(p: Project, *, public: set[str], reports: list[dict[str, Any]], bond_yuan: int | None,
             fields: dict[str, str], prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": f"{prefix}-{p.pk}", "language": "zh",
                           "updated": p.updated_at.astimezone(TZ).replace(microsecond=0).isoformat()}
    if "project_code" in public and p.project_code:
        out["identifiers"] = [{"id": p.project_code, "scheme": "CN-NDRC-PROJECT-CODE"}]
    if "name" in public:
        out["title"] = p.name
    if "content" in public and p.content:
        out["description"] = p.content
    if "stage" in public:
        out["status"] = STATUS[p.stage]
    if "nature" in public and p.nature in PROJECT_TYPE:
        out["type"] = PROJECT_TYPE[p.nature]
    if "field" in public and p.field:
        out["sector"] = [p.field]
        out["additionalClassifications"] = [{"scheme": "8946", "id": p.field,
                                             "description": fields.get(p.field, p.field)}]
    if "unit" in public:
        authority = {"id": f"unit-{p.unit.code}", "name": p.unit.name}
        out["publicAuthority"] = authority
        out["parties"] = [{**authority, "roles": ["publicAuthority"]}]
    budget: dict[str, Any] = {}
    if "total_investment" in public:
        budget["amount"] = _amount(p.total_investment_yuan)
    if "special_bond" in public and bond_yuan:
        budget["finance"] = [{"id": "special_bond", "title": "地方政府专项债券", "type": "bond",
                              "financingPartyType": "institutional", "value": _amount(bond_yuan)}]
    if budget:
        out["budget"] = budget
    period = {k: v for k, v in (("startDate", _datetime(p.planned_start)), ("endDate", _datetime(p.planned_end)))
              if v and ("planned_start" in public if k == "startDate" else "planned_end" in public)}
    if period:
        out["period"] = period
    actual = {k: v for k, v in (("startDate", _datetime(p.actual_start)), ("endDate", _datetime(p.actual_end)))
              if v and ("actual_start" in public if k == "startDate" else "actual_end" in public)}
    if actual:
        out["implementationPeriod"] = actual
    location: dict[str, Any] = {}
    if "address" in public and p.address:
        location["description"] = p.address
    if "location" in public and p.lat is not None and p.lon is not None:
        location["geometry"] = {"type": "Point", "coordinates": [p.lon, p.lat]}
    if location:
        out["locations"] = [{"id": "1", **location}]
    if reports:
        out["metrics"] = _metrics(reports)
    return out


def _metrics(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    financial, physical = [], []
    for r in reports:
        y, m = r["period__year"], r["period__month"]
        start = dt.date(y, m, 1)
        end = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
        period = {"startDate": _datetime(start), "endDate": _datetime(end)}
        financial.append({"id": r["period__code"], "period": period, "value": _amount(r["cumulative_amount_yuan"]),
                          "notes": "开工累计完成投资"})
        if r["percent_complete"] is not None:
            obs: dict[str, Any] = {"id": r["period__code"], "period": period, "measure": float(r["percent_complete"]),
                                   "unit": {"name": "percent"}}
            if r["physical_progress"]:
                obs["notes"] = r["physical_progress"]
            physical.append(obs)
    metrics = [{"id": "financialProgress", "title": "投资完成进度", "observations": financial}]
    if physical:
        metrics.append({"id": "physicalProgress", "title": "形象进度", "observations": physical})
    return metrics
