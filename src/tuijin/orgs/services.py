"""Writes to organisations and users."""

from __future__ import annotations

from django.db import transaction

from tuijin.audit import services as audit
from tuijin.errors import ValidationFailed
from tuijin.plan import active_plan

from .models import Org, OrgKind, User
from .roles import role_conflicts

CITY_CODE = "city"


def orgs_sync_from_plan() -> dict[str, int]:
    """Create or update the city, its departments and the 16 reporting units from the active plan.

    Idempotent; each created or changed org is audited.
    """
    plan = active_plan()
    created = changed = 0
    with transaction.atomic():
        city, was_created = Org.objects.get_or_create(
            code=CITY_CODE, defaults={"name": plan.meta.city, "short_name": plan.meta.city, "kind": OrgKind.CITY}
        )
        if was_created:
            created += 1
            audit.record(action="create", obj=city, after=audit.snapshot(city))
        wanted: list[dict] = []
        for i, dept in enumerate(plan.departments):
            wanted.append({"code": dept.code, "name": dept.name, "short_name": dept.name, "kind": OrgKind.DEPARTMENT,
                           "division_code": "", "lon": None, "lat": None, "sort_order": 100 + i})
        for i, unit in enumerate(plan.units):
            lon, lat = (unit.centre or (None, None))
            wanted.append({"code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
                           "division_code": unit.division_code or "",
                           "lon": float(lon) if lon is not None else None,
                           "lat": float(lat) if lat is not None else None, "sort_order": i})
        existing = {o.code: o for o in Org.objects.filter(code__in=[w["code"] for w in wanted])}
        for values in wanted:
            org = existing.get(values["code"])
            if org is None:
                org = Org.objects.create(parent=city, **values)
                created += 1
                audit.record(action="create", obj=org, after=audit.snapshot(org))
                continue
            before = audit.snapshot(org)
            for key, value in values.items():
                setattr(org, key, value)
            org.parent = city
            after = audit.snapshot(org)
            if before != after:
                org.save()
                changed += 1
                audit.record(action="update", obj=org, before=before, after=after)
    return {"created": created, "changed": changed}


def user_create(*, username: str, password: str, org: Org | None, roles: list[str], full_name: str = "") -> User:
    """Create a user with roles, refusing role sets that break 三员分立."""
    problem = role_conflicts(roles)
    if problem:
        raise ValidationFailed(problem, field="roles")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"用户名“{username}”已存在", field="username")
    with transaction.atomic():
        user = User(username=username, org=org, roles=list(roles), full_name=full_name)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        audit.record(action="create", obj=user, after=audit.snapshot(user, fields=["username", "org", "roles",
                                                                                    "full_name", "is_active"]))
    return user
