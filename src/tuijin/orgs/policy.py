"""The one access policy: who may read or do what (DESIGN §4.2, §9).

Every rule is a named predicate in :data:`PREDICATES` over a *principal* (a :class:`User` or
:data:`SYSTEM`) and, where the rule needs one, an object (a unit, a job, a task, a department code …).
Callers ask by name and never test role strings::

    policy.can(user, "read_business_data")
    policy.can(user, "edit_unit", unit)
    policy.require(user, "manage_city_data", message="只有市发展改革委可以审核")   # PermissionRefused

Reading scoped rows goes through ``Model.objects.visible_to(principal)`` / ``editable_by(principal)``
(:class:`tuijin.orgs.models.ScopedQuerySet`), which ask :func:`read_scope` / :func:`write_scope` here.
Where two organisations share an object, :func:`writable_fields` says which fields each may write
(:data:`FIELD_RULES`). :func:`unit_scope` is the one answer to "city-wide or one's own unit".

Views declare their policy with :func:`requires` / :func:`public` (function views) or a class
attribute ``access_policy`` (class-based and DRF views); ``tests/security/test_view_declarations.py``
walks the URL conf and fails on a view with neither. The declaration helpers live in
:mod:`tuijin.toolkit.http.access` so that apps the foundation layer may not import (audit) can
declare too; they are re-exported here.

:data:`SYSTEM` is the principal of jobs, commands and bulletins: it sees everything and is never a
person (no database row, no unit). A selector always takes a principal; ``None`` is refused.

Room for what comes next:

- *Project owners* (an org kind ``owner``, a role ``owner``): add a branch to :func:`read_scope` and
  :func:`write_scope` that filters by ``<model>.owner_field`` (the path to the project's
  ``owner_uscc``) against the owner organisation's USCC, across units; models opt in by declaring
  ``owner_field`` beside ``scope_field``, as problems declare ``department_field`` today. Their field
  rules go in :data:`FIELD_RULES` under the ``"owner"`` party (see :func:`_party`).
- *Leaders who write their own records* (site visits, comments on problems they were asked about):
  a predicate ``"write_own_record"`` over (principal, record) that compares the record's
  ``author_field`` with the principal, and a ``"leader"`` party in :data:`FIELD_RULES`; leaders keep
  reading city-wide through ``read_business_data``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db.models import Q

from tuijin.toolkit.errors import PermissionRefused
from tuijin.toolkit.http.access import (
    ACCESS_ATTRIBUTE,
    PUBLIC,
    SIGNED_IN,
    declared_policy,
    public,
    requires,
    signed_in,
)

from .roles import WRITING_ROLES, Role

if TYPE_CHECKING:
    from .models import User

__all__ = [
    "ACCESS_ATTRIBUTE", "FIELD_RULES", "PREDICATES", "PUBLIC", "SIGNED_IN", "SYSTEM", "Predicate", "Principal", "acting", "can",
    "declared_policy", "public", "read_scope", "require", "requires", "signed_in", "unit_scope", "units_visible_to",
    "writable_fields", "write_scope",
]


class SystemPrincipal:
    """Jobs, commands and bulletins: sees everything, is never a person (no database user, no unit).

    It answers the attributes code reads from a principal (``is_authenticated``, ``org``, ``pk`` …)
    so that it passes wherever a user does; the audit actor of its writes stays the audit context's.
    """

    _instance: SystemPrincipal | None = None

    is_system = True
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None
    org = None
    org_id = None
    roles: tuple[str, ...] = ()
    username = "system"
    full_name = "系统"
    sees_city_wide = True
    reporting_unit = None
    is_administrator = False
    reads_audit_log = False

    def __new__(cls) -> SystemPrincipal:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __str__(self) -> str:
        return self.full_name

    def __repr__(self) -> str:
        return "SYSTEM"

    def __reduce__(self) -> str:
        return "SYSTEM"

    def has_role(self, *roles: str) -> bool:
        return False

    def get_username(self) -> str:
        return self.username


#: The one system principal.
SYSTEM = SystemPrincipal()
#: Who asks: a user, or SYSTEM.
Principal: TypeAlias = "User | SystemPrincipal"


def acting(actor: Any) -> Any:
    """The principal of a write whose audit actor is ``actor``: services and importers take
    ``actor=None`` for the system (a command without ``--as``: the audit shows no person), and read
    through SYSTEM then. The one place where ``None`` turns into a principal."""
    return SYSTEM if actor is None else actor


def is_system(principal: Any) -> bool:
    return principal is SYSTEM


def _check(principal: Any) -> None:
    if principal is None:
        raise TypeError("an access question needs a principal (a user or policy.SYSTEM), not None")


def _active(principal: Any) -> bool:
    return bool(principal.is_authenticated and principal.is_active)


def _roles(principal: Any, *roles: str) -> bool:
    return _active(principal) and principal.has_role(*roles)


def _own_unit(principal: Any):  # noqa: ANN202
    """The reporting unit of a unit user, else None (SYSTEM and city roles have none)."""
    return principal.reporting_unit if _active(principal) else None


def _same(org: Any, other: Any) -> bool:
    return org is not None and other is not None and getattr(org, "pk", org) == getattr(other, "pk", other)


# --- the predicates ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Predicate:
    """One named rule: ``test(principal, obj)``; ``message`` is the default Chinese refusal."""

    name: str
    test: Callable[[Any, Any], bool]
    message: str | Callable[[Any], str]
    doc: str = ""

    def refusal(self, principal: Any) -> str:
        return self.message(principal) if callable(self.message) else self.message


PREDICATES: dict[str, Predicate] = {}


def _rule(name: str, message: str | Callable[[Any], str]) -> Callable[[Callable[[Any, Any], bool]], Callable[[Any, Any], bool]]:
    def register(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
        if name in PREDICATES:
            raise ValueError(f"access predicate {name!r} declared twice")
        PREDICATES[name] = Predicate(name=name, test=test, message=message, doc=(test.__doc__ or "").strip())
        return test
    return register


@_rule("read_business_data", "您的角色不查看业务数据")
def _read_business_data(p: Any, _obj: Any) -> bool:
    """City-wide roles and the reporting units; the three administrators (三员) see no business data."""
    return _active(p) and (p.sees_city_wide or p.reporting_unit is not None)


@_rule("read_city_wide", "页面不存在或不在您的查看范围内")
def _read_city_wide(p: Any, _obj: Any) -> bool:
    """Every unit's details at once (bulletins, the city overview): the city-wide roles."""
    return _active(p) and p.sees_city_wide


def _statistics_refusal(p: Any) -> str:
    if p.is_authenticated and p.is_administrator:
        return "系统管理员、安全管理员、审计管理员不查看业务数据（三员分立）"
    return "您的角色不能查看官方统计数据"


@_rule("read_statistics", _statistics_refusal)
def _read_statistics(p: Any, _obj: Any) -> bool:
    """Official statistics: every business role; never the three administrators."""
    if is_system(p):
        return True
    return _active(p) and not p.is_administrator and p.has_role(
        Role.CITY_ADMIN, Role.DEPARTMENT, Role.UNIT, Role.LEADER, Role.SUPERVISION)


@_rule("read_meetings", "您的角色不能查看周例会")
def _read_meetings(p: Any, _obj: Any) -> bool:
    """The weekly scheduling meeting (周例会): the city DRC, the leaders and the supervision office."""
    return is_system(p) or _roles(p, Role.CITY_ADMIN, Role.LEADER, Role.SUPERVISION)


@_rule("read_audit_log", "只有审计管理员可以查看审计日志")
def _read_audit_log(p: Any, _obj: Any) -> bool:
    """Only the audit administrator (审计管理员) reads the audit log (三员分立)."""
    return _roles(p, Role.AUDITOR)


@_rule("read_plan", "您的角色不能查看方案")
def _read_plan(p: Any, _obj: Any) -> bool:
    """The plan page: the system administrator, the city DRC and the leaders."""
    return _roles(p, Role.SYSADMIN, Role.CITY_ADMIN, Role.LEADER)


@_rule("set_business_date", "只有系统管理员可以设置业务日期")
def _set_business_date(p: Any, _obj: Any) -> bool:
    """The clock's business date: anyone at the console in local mode (and the demo); in production
    only the system administrator (DESIGN §9, the clock)."""
    from django.conf import settings

    if getattr(settings, "TUIJIN_LOCAL", False):
        return is_system(p) or _active(p)
    return _roles(p, Role.SYSADMIN)


@_rule("manage_organisations", "您的角色不能管理组织和用户")
def _manage_organisations(p: Any, _obj: Any) -> bool:
    """The organisations and users pages: the security and system administrators and the city DRC."""
    return _roles(p, Role.SECADMIN, Role.SYSADMIN, Role.CITY_ADMIN)


@_rule("manage_accounts", "只有安全管理员可以管理账户和角色")
def _manage_accounts(p: Any, _obj: Any) -> bool:
    """Accounts and roles: the security administrator (三员分立; see roles.grant_refusal for what it grants)."""
    return _roles(p, Role.SECADMIN)


@_rule("administer_system", "您的角色不查看业务数据")
def _administer_system(p: Any, _obj: Any) -> bool:
    """One of the three administrators (三员): they configure, manage accounts or read the log."""
    return _active(p) and not is_system(p) and p.is_administrator


@_rule("use_api", "您的角色不使用接口")
def _use_api(p: Any, _obj: Any) -> bool:
    """The API documentation: everyone but the three administrators."""
    return _active(p) and not p.is_administrator


@_rule("manage_city_data", "只有市发展改革委可以执行此操作")
def _manage_city_data(p: Any, _obj: Any) -> bool:
    """The city DRC administrator: reviews, quotas, batches, evaluations, bulletins, rerouting."""
    return is_system(p) or _roles(p, Role.CITY_ADMIN)


@_rule("write_business_data", "您的角色只能查看，不能修改")
def _write_business_data(p: Any, _obj: Any) -> bool:
    """The roles that change business data (each within its scope): the city DRC and the units."""
    return is_system(p) or _roles(p, *WRITING_ROLES)


@_rule("supervise", "只有督查室可以执行此操作")
def _supervise(p: Any, _obj: Any) -> bool:
    """The supervision office (督查室) and the city DRC run tasks and follow escalations up."""
    return is_system(p) or _roles(p, Role.SUPERVISION, Role.CITY_ADMIN)


@_rule("edit_unit", "只能修改本单位的数据")
def _edit_unit(p: Any, unit: Any) -> bool:
    """Change data of reporting unit ``unit``: the city DRC everywhere, a unit user its own."""
    if is_system(p) or _roles(p, Role.CITY_ADMIN):
        return True
    return _same(_own_unit(p), unit)


@_rule("act_for_a_unit", "只有报送单位的用户可以执行此操作")
def _act_for_a_unit(p: Any, _obj: Any) -> bool:
    """Apply, upload or add for one's own reporting unit: a unit user (the city acts through its own rules)."""
    return _own_unit(p) is not None


@_rule("submit_for_unit", "只有报送单位本身可以报送本单位的月度进展")
def _submit_for_unit(p: Any, unit: Any) -> bool:
    """Submit a unit's monthly report (二(七)19 报送): the unit itself, nobody on its behalf."""
    return _same(_own_unit(p), unit)


@_rule("view_unit", "页面不存在或不在您的查看范围内")
def _view_unit(p: Any, unit: Any) -> bool:
    """See the details of reporting unit ``unit`` (an Org or its code): city-wide roles, or the unit."""
    if not _active(p):
        return False
    if p.sees_city_wide:
        return True
    own = p.reporting_unit
    if own is None or unit is None:
        return False
    return own.code == unit if isinstance(unit, str) else own.pk == unit.pk


@_rule("act_for_department", "只有主管部门可以执行此操作")
def _act_for_department(p: Any, codes: Any) -> bool:
    """Act for the city department(s) ``codes`` (the plan names them): a department or DRC user of one."""
    codes = {codes} if isinstance(codes, str) else set(codes or ())
    return (_roles(p, Role.DEPARTMENT, Role.CITY_ADMIN) and p.org is not None and p.org.code in codes)


@_rule("act_for_city_or_department", "只有市发展改革委或主管部门可以执行此操作")
def _act_for_city_or_department(p: Any, codes: Any) -> bool:
    """The city DRC administrator, or a user of one of the departments ``codes`` (e.g. the incentive scan)."""
    return _manage_city_data(p, None) or _act_for_department(p, codes)


@_rule("see_job", "任务不存在")
def _see_job(p: Any, job: Any) -> bool:
    """A background job is its creator's; the city DRC sees every job."""
    if is_system(p):
        return True
    return _active(p) and (job.created_by_id == p.pk or p.has_role(Role.CITY_ADMIN))


@_rule("report_on_task", "只有被督办单位或督查室可以填报进展")
def _report_on_task(p: Any, task: Any) -> bool:
    """A supervision task's follow-up: the supervision office, or the unit/department it was assigned to."""
    return _supervise(p, None) or (_active(p) and p.org_id == task.org_id
                                   and p.has_role(Role.UNIT, Role.DEPARTMENT))


def _predicate(name: str) -> Predicate:
    try:
        return PREDICATES[name]
    except KeyError:
        raise KeyError(f"unknown access predicate {name!r}; known: {', '.join(sorted(PREDICATES))}") from None


def can(principal: Any, name: str, obj: Any = None) -> bool:
    """Whether ``principal`` may ``name`` (on ``obj``)."""
    _check(principal)
    return bool(_predicate(name).test(principal, obj))


def require(principal: Any, name: str, obj: Any = None, *, message: str | None = None,
            refusal: type[Exception] = PermissionRefused) -> None:
    """:func:`can`, or raise ``refusal`` (``PermissionRefused``) with ``message`` or the rule's own."""
    if not can(principal, name, obj):
        raise refusal(message or _predicate(name).refusal(principal))


# --- scope of rows ----------------------------------------------------------------------------------------------

#: ``True``: every row; ``False``: none; a ``Q``: those rows.
Scope = bool | Q


def unit_scope(principal: Any):  # noqa: ANN201
    """The one answer to "whose figures": ``None`` for the whole city (city-wide roles, SYSTEM), the
    principal's own reporting unit for a unit user. Ask :func:`can` ``read_business_data`` first."""
    _check(principal)
    if not _active(principal) or principal.sees_city_wide:
        return None
    return principal.reporting_unit


def read_scope(principal: Any, model: type) -> Scope:
    """Which rows of a scoped ``model`` the principal sees.

    The model declares ``scope_field`` (its path to the reporting unit, or to the assigned org when it
    also declares ``scope_by_org = True``) and optionally ``department_field`` (a department sees the
    rows routed to it instead of every row). City-wide roles see all, a unit user its own unit's rows,
    the three administrators and anyone else none.
    """
    _check(principal)
    if not _active(principal):
        return False
    if is_system(principal):
        return True
    scope_field = model.scope_field  # type: ignore[attr-defined]
    if getattr(model, "scope_by_org", False):
        if principal.has_role(Role.CITY_ADMIN, Role.LEADER, Role.SUPERVISION):
            return True
        if principal.org_id is not None and principal.has_role(Role.DEPARTMENT, Role.UNIT):
            return Q(**{scope_field: principal.org_id})
        return False
    department_field = getattr(model, "department_field", None)
    if department_field:
        if principal.has_role(Role.CITY_ADMIN, Role.LEADER, Role.SUPERVISION):
            return True
        if principal.has_role(Role.DEPARTMENT) and principal.org_id is not None:
            return Q(**{department_field: principal.org_id})
    elif principal.sees_city_wide:
        return True
    unit = principal.reporting_unit
    return Q(**{scope_field: unit}) if unit is not None else False


def write_scope(principal: Any, model: type) -> Scope:
    """Which rows of a scoped ``model`` the principal may change: the city DRC all, a unit its own."""
    _check(principal)
    if not _active(principal):
        return False
    if is_system(principal) or principal.has_role(Role.CITY_ADMIN):
        return True
    unit = principal.reporting_unit
    return Q(**{model.scope_field: unit}) if unit is not None else False  # type: ignore[attr-defined]


def units_visible_to(principal: Any) -> Iterable[Any]:
    """Reporting units whose details the principal may see (for filters and choices)."""
    from .models import Org

    qs = Org.objects.reporting_units()
    scope = unit_scope(principal)
    if scope is None:
        return qs if can(principal, "read_business_data") else qs.none()
    return qs.filter(pk=scope.pk)


# --- per-field write rules --------------------------------------------------------------------------------------

#: Where two organisations share an object, which fields each party records. Keyed by model label;
#: the parties: ``"unit"`` (the object's reporting unit), ``"department"`` (the department named by
#: the object's ``department`` — its own items only), ``"city"`` (the DRC: every listed field).
#: Approval items (联审联批): the unit records that it applied, the approving department its decision.
FIELD_RULES: dict[str, dict[str, frozenset[str]]] = {
    "projects.ApprovalItem": {
        "unit": frozenset({"applied_on"}),
        "department": frozenset({"status", "approved_on", "document_no"}),
    },
}


def _party(principal: Any, obj: Any) -> str | None:
    if is_system(principal) or _roles(principal, Role.CITY_ADMIN):
        return "city"
    if _roles(principal, Role.DEPARTMENT) and principal.org_id is not None \
            and principal.org_id == getattr(obj, "department_id", None):
        return "department"
    unit = _own_unit(principal)
    scope_field = getattr(type(obj), "scope_field", None)
    if unit is not None and scope_field and _unit_of(obj, scope_field) == unit.pk:
        return "unit"
    return None


def _unit_of(obj: Any, scope_field: str) -> Any:
    """The pk of the reporting unit ``obj`` reaches through ``scope_field`` (``project__unit`` …)."""
    *path, last = scope_field.split("__")
    for step in path:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def writable_fields(principal: Any, obj: Any) -> set[str]:
    """The fields of ``obj`` the principal may write: the parties' share of :data:`FIELD_RULES`.

    The DRC (and SYSTEM) writes every listed field; a party with no share writes none. A model without
    field rules is all-or-nothing: every concrete field when ``editable_by`` holds the object.
    """
    _check(principal)
    label = obj._meta.label
    rules = FIELD_RULES.get(label)
    if rules is None:
        scope = write_scope(principal, type(obj))
        if scope is False:
            return set()
        if scope is not True and not type(obj)._default_manager.filter(scope, pk=obj.pk).exists():
            return set()
        return {f.name for f in obj._meta.concrete_fields if not f.primary_key}
    party = _party(principal, obj)
    if party is None:
        return set()
    if party == "city":
        return set().union(*rules.values())
    return set(rules.get(party, ()))


def field_rule_models() -> Collection[str]:
    return tuple(FIELD_RULES)

