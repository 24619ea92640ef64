"""The demo accounts as a table people can read (command output, Makefile, README).

``demo_logins()`` needs the plan but no database: ``tuijin demo --logins`` prints the
table before anything is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from tuijin.orgs.roles import Role

from .generate import CITY_ORG, DEMO_PASSWORD, PlanFacts, demo_plan, facts_from_plan, generate_users

__all__ = ["DEMO_PASSWORD", "DemoLogin", "demo_logins", "format_logins", "label_zh"]

# Used when the Chinese message catalogue lacks a role's or tag's label.
ROLE_LABELS_ZH = {
    "city_admin": "市发展改革委管理员",
    "department": "市政府部门",
    "unit": "报送单位",
    "leader": "市领导（只读）",
    "supervision": "督查室",
    "sysadmin": "系统管理员",
    "secadmin": "安全管理员",
    "auditor": "审计管理员",
}
TAG_LABELS_ZH = {
    "provincial_key": "省重点项目",
    "city_key": "市重点项目",
    "shortfall_982": "补短板“982”工程",
    "reconstruction": "灾后恢复重建",
    "special_bond": "专项债券",
    "whitelist": "重大项目白名单",
    "land_support": "国家用地保障",
    "reits": "基础设施REITs",
    "promotion": "招商引资",
}


def label_zh(label: object, fallback: str) -> str:
    """``label`` (a lazy translation) in Chinese, or ``fallback`` while the catalogue lacks it."""
    with translation.override("zh-hans"):
        text = str(label)
    return text if not text.isascii() else fallback


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    roles: tuple[str, ...]
    role_label: str
    org_code: str
    org_name: str


def demo_logins(facts: PlanFacts | None = None) -> list[DemoLogin]:
    """Every demo account, in the order the table shows them (all use :data:`DEMO_PASSWORD`)."""
    if facts is None:
        facts = facts_from_plan(demo_plan())
    org_names = {CITY_ORG: facts.city, **dict(facts.departments), **{u.code: u.short_name for u in facts.units}}
    logins = []
    for user in generate_users(facts):
        labels = "、".join(label_zh(Role(r).label, ROLE_LABELS_ZH.get(r, r)) for r in user.roles)
        logins.append(DemoLogin(user.username, user.full_name, user.roles, labels, user.org_code,
                                org_names.get(user.org_code, user.org_code)))
    return logins


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_logins(logins: list[DemoLogin] | None = None) -> str:
    """The accounts as an aligned text table (username, role, organisation, name)."""
    logins = demo_logins() if logins is None else logins
    header = ("用户名", "角色", "所属单位", "姓名")
    rows = [header] + [(x.username, x.role_label, x.org_name, x.full_name) for x in logins]
    widths = [max(_width(row[i]) for row in rows) + 2 for i in range(len(header))]
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）："]
    lines += ["  " + "".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append("系统、安全、审计管理员（三员）登录后还须输入动态口令（TOTP）：首次登录时页面显示密钥和 otpauth:// 地址，"
                 "添加到身份验证器应用（如 FreeOTP、Google Authenticator）后输入其6位口令即可。")
    return "\n".join(lines)
