"""Reads of bulletins: who may see them, the stored bulletins, and the statistics-inclusion list (二(七)19)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from tuijin.orgs import policy
from tuijin.orgs.models import User
from tuijin.orgs.policy import Principal
from tuijin.programmes.selectors import missing_projects
from tuijin.toolkit.errors import NotFound
from tuijin.toolkit.money import yuan_to_wan

from .models import Bulletin
from .storage import bulletin_dir


def bulletin_list(*, user: User) -> QuerySet[Bulletin]:
    """Stored bulletins the user may read, newest period first (none for other roles)."""
    if not policy.can(user, "read_city_wide"):
        return Bulletin.objects.none()
    return Bulletin.objects.select_related("created_by", "job").order_by("-year", "-month", "-created_at")


def bulletin_get(*, user: User, pk: int) -> Bulletin:
    """One bulletin, or 404 when it does not exist or the user may not read bulletins."""
    bulletin = bulletin_list(user=user).filter(pk=pk).first()
    if bulletin is None:
        raise NotFound("通报不存在或不在您的查看范围内")
    return bulletin


def bulletin_file(*, user: User, pk: int, kind: str) -> Path:
    """The stored .docx or .xlsx of a bulletin, only from under ``MEDIA_ROOT/bulletins``; 404 otherwise."""
    bulletin = bulletin_get(user=user, pk=pk)
    name = bulletin.docx_file if kind == "docx" else bulletin.xlsx_file if kind == "xlsx" else ""
    if not name:
        raise NotFound("该通报没有这种文件")
    root = bulletin_dir().resolve()
    path = (Path(settings.MEDIA_ROOT) / name).resolve()
    if root not in path.parents or not path.is_file():
        raise NotFound("通报文件不存在")
    return path


def missing_from_statistics(*, user: Principal, unit_codes: list[str] | None = None) -> list[dict[str, Any]]:
    """Started projects with a total of at least the plan's threshold not in the statistics (应入未入, 二(七)19).

    "Started" is an actual start date on a project that is not cancelled. Each row: project id,
    name, code, unit (short name and code), responsible departments, total investment (万元) and the
    actual start. Ordered by unit, then by total investment, largest first. Two queries. Every unit's
    projects at once, as the bulletin shows them: the city-wide roles (``read_city_wide``) and SYSTEM.
    """
    policy.require(user, "read_city_wide")
    # The one 应入未入 query (programmes.selectors.missing_projects).
    projects = missing_projects(user=user)
    if unit_codes is not None:
        projects = projects.filter(unit__code__in=unit_codes)
    return [{
        "project_id": p.pk, "name": p.name, "project_code": p.project_code or "", "unit": p.unit.display_name,
        "unit_code": p.unit.code, "departments": "、".join(d.display_name for d in p.departments.all()),
        "total_wan": yuan_to_wan(p.total_investment_yuan), "actual_start": p.actual_start,
    } for p in projects]
