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
