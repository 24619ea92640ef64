"""Roles (DESIGN §1, §4.2) and what each may do.

Three administrators are separate and mutually exclusive (三员分立): the system
administrator configures, the security administrator manages users and roles,
the audit administrator reads the audit log; none of them sees business data.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("City DRC administrator")
    DEPARTMENT = "department", _("City department")
    UNIT = "unit", _("Reporting unit")
    LEADER = "leader", _("City leader (read-only)")
    SUPERVISION = "supervision", _("Supervision office")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")


#: 三员分立: a user may hold at most one of these, and none of them with a business role.
ADMINISTRATOR_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
#: Roles that see every reporting unit's business data.
CITY_WIDE_ROLES = frozenset({Role.CITY_ADMIN, Role.LEADER, Role.SUPERVISION, Role.DEPARTMENT})
#: Roles that may change business data (within their scope).
WRITING_ROLES = frozenset({Role.CITY_ADMIN, Role.UNIT})


def role_conflicts(roles: list[str]) -> str | None:
    """Return a Chinese message when a role set breaks 三员分立, else None."""
    admin = [r for r in roles if r in ADMINISTRATOR_ROLES]
    if len(admin) > 1:
        return "系统管理员、安全管理员、审计管理员三者互斥，不能兼任"
    if admin and len(roles) > 1:
        return "三员（系统/安全/审计管理员）不能同时拥有业务角色"
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        return f"未知角色：{', '.join(unknown)}"
    return None


#: Roles a security administrator may grant (never one of the three administrators).
GRANTABLE_ROLES = frozenset({Role.CITY_ADMIN, Role.DEPARTMENT, Role.UNIT, Role.LEADER, Role.SUPERVISION})


def grant_refusal(*, actor, target, roles: list[str], org) -> str | None:
    """Why ``actor`` may not give ``target`` these roles in ``org`` (三员分立, no escalation), or None.

    Only the security administrator manages accounts. It never touches its own account or another
    administrator's, never grants an administrator role (those are created at installation by
    ``tuijin create-admin`` on the server console), and a security administrator of a reporting
    unit manages that unit's accounts only, with the unit role only.
    """
    if not actor.is_active or not actor.has_role(Role.SECADMIN):
        return "只有安全管理员可以管理账户和角色"
    if target is not None and target.pk == actor.pk:
        return "不能修改自己的账户或角色"
    if target is not None and target.is_administrator:
        return "不能修改系统管理员、安全管理员或审计管理员的账户"
    if any(r in ADMINISTRATOR_ROLES for r in roles):
        return "安全管理员不能授予系统管理员、安全管理员或审计管理员角色"
    not_grantable = [r for r in roles if r not in GRANTABLE_ROLES]
    if not_grantable:
        return f"不能授予角色：{', '.join(not_grantable)}"
    own = actor.org
    if own is not None and own.is_reporting_unit:
        if org is None or org.pk != own.pk or (target is not None and target.org_id != own.pk):
            return "只能管理本单位的账户"
        if any(r != Role.UNIT for r in roles):
            return "只能授予报送单位角色，不能授予范围更大的角色"
    return role_conflicts(roles)
