"""Writes to organisations and users."""

from __future__ import annotations

from contextlib import nullcontext

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from tuijin.audit import services as audit
from tuijin.plan import current_plan
from tuijin.toolkit import clock
from tuijin.toolkit.errors import NotFound, PermissionRefused, ValidationFailed

from .models import ApiToken, Org, OrgKind, User

CITY_CODE = "city"


def orgs_sync_from_plan() -> dict[str, int]:
    """Create or update the city, its departments and the 16 reporting units from the active plan.

    Idempotent; each created or changed org records its own audit entry.
    """
    plan = current_plan()
    created = changed = 0
    with transaction.atomic():
        city, was_created = Org.objects.get_or_create(
            code=CITY_CODE, defaults={"name": plan.meta.city, "short_name": plan.meta.city, "kind": OrgKind.CITY}
        )
        if was_created:
            created += 1
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
                continue
            before = audit.snapshot(org)
            for key, value in values.items():
                setattr(org, key, value)
            org.parent = city
            after = audit.snapshot(org)
            if before != after:
                org.save()
                changed += 1
    return {"created": created, "changed": changed}


# ---------------------------------------------------------------------------
# Accounts: the security administrator's work (三员分立), passwords, API tokens

def _check_password(password: str, user: User) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed("；".join(exc.messages), field="password") from exc


def account_create(*, actor: User, username: str, org: Org | None, roles: list[str], full_name: str = "",
                   account_expires=None) -> tuple[User, str]:
    """The security administrator opens an account; returns it and its random initial password.

    The password is shown once and must be changed at first sign-in.
    """
    from .passwords import random_password
    from .roles import grant_refusal

    problem = grant_refusal(actor=actor, target=None, roles=roles, org=org)
    if problem:
        audit.record(action="denied", object_type="orgs.user", object_repr=username[:150],
                     after={"roles": roles, "org": org.code if org else None}, reason=problem)
        raise PermissionRefused(problem)
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"用户名“{username}”已存在", field="username")
    password = random_password()
    with transaction.atomic():
        user = User(username=username, org=org, roles=list(roles), full_name=full_name,
                    account_expires=account_expires, must_change_password=True)
        user.set_password(password)
        try:
            user.full_clean(exclude=["password"])
        except DjangoValidationError as exc:
            raise ValidationFailed("；".join(exc.messages), errors=exc.message_dict) from exc
        user.save()
    return user, password


def account_update(*, actor: User, user: User, roles: list[str] | None = None, org: Org | None = None,
                   is_active: bool | None = None, account_expires=..., full_name: str | None = None) -> User:
    """Change an account's roles, organisation, state or expiry — never beyond the actor's own scope."""
    from .roles import grant_refusal

    new_roles = list(user.roles) if roles is None else list(roles)
    new_org = user.org if org is None else org
    problem = grant_refusal(actor=actor, target=user, roles=new_roles, org=new_org)
    if problem:
        audit.record(action="denied", obj=user, after={"roles": new_roles, "org": new_org.code if new_org else None},
                     reason=problem)
        raise PermissionRefused(problem)
    # A change of roles is named as such in the audit log (等保: 权限变更).
    renamed = audit.action("role_change") if new_roles != list(user.roles or []) else nullcontext()
    with transaction.atomic(), renamed:
        user.roles, user.org = new_roles, new_org
        if is_active is not None:
            user.is_active = is_active
        if account_expires is not ...:
            user.account_expires = account_expires
        if full_name is not None:
            user.full_name = full_name
        try:
            user.full_clean(exclude=["password"])
        except DjangoValidationError as exc:
            raise ValidationFailed("；".join(exc.messages), errors=exc.message_dict) from exc
        user.save()
    return user


def password_reset(*, actor: User, user: User) -> str:
    """The security administrator resets a password to a random one, to be changed at next sign-in."""
    from .passwords import random_password
    from .roles import grant_refusal

    problem = grant_refusal(actor=actor, target=user, roles=list(user.roles), org=user.org)
    if problem:
        audit.record(action="denied", obj=user, reason=problem)
        raise PermissionRefused(problem)
    password = random_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        # The password and its flag: an event of its own (below), not a row change.
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        with audit.reason("安全管理员重置密码，吊销其令牌"):
            user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=clock.real_now())
        audit.record(action="password_reset", obj=user, reason="安全管理员重置密码")
    return password


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """A user changes their own password (checked against every rule, and not the old one)."""
    if not user.check_password(old_password):
        raise ValidationFailed("原密码不正确", field="old_password")
    if old_password == new_password:
        raise ValidationFailed("新密码不能与原密码相同", field="new_password")
    try:
        _check_password(new_password, user)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="new_password") from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(action="password_change", obj=user, reason="用户修改密码")


def api_token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for ``user`` (the raw value is returned once, only its digest is kept)."""
    from .tokens import new_token_for

    with transaction.atomic():
        token, raw = new_token_for(user=user, name=name)
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound("令牌不存在")
    if token.revoked_at is None:
        with transaction.atomic(), audit.reason("吊销令牌"):
            token.revoked_at = clock.real_now()
            token.save(update_fields=["revoked_at"])
    return token
