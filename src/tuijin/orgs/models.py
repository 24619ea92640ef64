"""Organisations, users and the scoped queryset every visible model uses (DESIGN §4.1–4.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuijin.audit.recording import AuditedManager, AuditedQuerySet

from .roles import ADMINISTRATOR_ROLES, CITY_WIDE_ROLES, Role, role_conflicts

if TYPE_CHECKING:
    from collections.abc import Iterable


class OrgKind(models.TextChoices):
    CITY = "city", _("City")
    DEPARTMENT = "department", _("City department")
    DISTRICT = "district", _("District / county")
    ZONE = "zone", _("Development zone")


REPORTING_KINDS = (OrgKind.DISTRICT, OrgKind.ZONE)


class OrgQuerySet(AuditedQuerySet):
    def reporting_units(self) -> OrgQuerySet:
        return self.filter(kind__in=REPORTING_KINDS)

    def departments(self) -> OrgQuerySet:
        return self.filter(kind=OrgKind.DEPARTMENT)


class Org(models.Model):
    """The city, a city department, or one of the 16 reporting units (区县（市）/开发区)."""

    audited = True

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent"))
    division_code = models.CharField(_("statistical division code"), max_length=6, blank=True)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    objects = OrgQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_reporting_unit(self) -> bool:
        return self.kind in REPORTING_KINDS


class AuditedUserManager(UserManager.from_queryset(AuditedQuerySet)):  # type: ignore[misc]
    """Django's user manager over the audited queryset."""


class User(AbstractUser):
    """A person working in one organisation, with one or more roles."""

    audited = True
    #: What its audit entries show: never the password hash (password changes are events of their own).
    audit_fields = ("username", "org", "roles", "full_name", "is_active", "account_expires", "must_change_password")

    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="users",
                            verbose_name=_("organisation"))
    roles = models.JSONField(_("roles"), default=list, blank=True)
    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    #: When the password was last set; older than TUIJIN_PASSWORD_MAX_AGE_DAYS → a change is prompted.
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    #: Set on initial and reset passwords (random, given once): the user must choose their own.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    #: The account cannot sign in from this day on (temporary staff, secondments).
    account_expires = models.DateField(_("account expires"), null=True, blank=True)

    objects = AuditedUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        problem = role_conflicts(list(self.roles or []))
        if problem:
            raise ValidationError({"roles": problem})
        if Role.UNIT in (self.roles or []) and (self.org is None or not self.org.is_reporting_unit):
            raise ValidationError({"org": "报送单位角色的用户必须属于一个区县（市）或开发区"})
        if Role.DEPARTMENT in (self.roles or []) and (self.org is None or self.org.kind != OrgKind.DEPARTMENT):
            raise ValidationError({"org": "部门角色的用户必须属于一个市政府部门"})

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        from tuijin.toolkit import clock

        self.password_changed_at = clock.real_now()

    def password_expired(self) -> bool:
        from django.conf import settings

        from tuijin.toolkit import clock

        days = settings.TUIJIN_PASSWORD_MAX_AGE_DAYS
        if not days or self.password_changed_at is None:
            return False
        return (clock.real_now() - self.password_changed_at).days >= days

    # Role helpers ---------------------------------------------------------
    def has_role(self, *roles: str) -> bool:
        return bool(set(self.roles or []) & set(roles))

    @property
    def sees_city_wide(self) -> bool:
        return self.is_active and self.has_role(*CITY_WIDE_ROLES)

    @property
    def is_administrator(self) -> bool:
        return self.has_role(*ADMINISTRATOR_ROLES)

    @property
    def reads_audit_log(self) -> bool:
        """The access policy's ``read_audit_log`` (only the audit administrator, 三员分立); the audit app
        asks this instead of the policy (it sits beside orgs and never imports it)."""
        from . import policy

        return policy.can(self, "read_audit_log")

    @property
    def reporting_unit(self) -> Org | None:
        """The reporting unit a unit user belongs to, else None."""
        if self.has_role(Role.UNIT) and self.org is not None and self.org.is_reporting_unit:
            return self.org
        return None

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles or [] if r in Role.values]


class ApiToken(models.Model):
    """A personal API token: only its SHA-256 is stored; shown once; expires; revocable."""

    audited = True
    audit_related = ("user",)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=64, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user.username} {self.prefix}…"

    def audit_snapshot(self) -> dict[str, str | None]:
        """What its audit entries show: whose, which, until when; never the digest."""
        return {"user": self.user.username, "name": self.name, "prefix": self.prefix,
                "expires_at": self.expires_at.isoformat() if self.expires_at else None,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}


class ScopedQuerySet(AuditedQuerySet):
    """The one place that decides what a user may see and change (DESIGN §4.2).

    A model declares ``scope_field``: the path from it to its reporting unit
    (``"unit"`` on Project, ``"project__unit"`` on a progress row). Which rows a
    principal sees and changes is the access policy's answer
    (:func:`tuijin.orgs.policy.read_scope` / :func:`~tuijin.orgs.policy.write_scope`).

    Bulk writes of an audited model record themselves (:class:`AuditedQuerySet`).
    """

    def _scope_field(self) -> str:
        return self.model.scope_field  # type: ignore[attr-defined]

    def _narrowed(self, scope) -> ScopedQuerySet:  # noqa: ANN001
        if scope is True:
            return self.all()
        if scope is False:
            return self.none()
        return self.filter(scope)

    def visible_to(self, user: User) -> ScopedQuerySet:
        from . import policy

        return self._narrowed(policy.read_scope(user, self.model))

    def editable_by(self, user: User) -> ScopedQuerySet:
        from . import policy

        return self._narrowed(policy.write_scope(user, self.model))


def may_edit_unit(user: User, unit: Org) -> bool:
    """Whether ``user`` may change data belonging to reporting unit ``unit``."""
    from . import policy

    return policy.can(user, "edit_unit", unit)


def units_visible_to(user: User) -> Iterable[Org]:
    """Reporting units whose details the user may see (for filters and choices)."""
    from . import policy

    return policy.units_visible_to(user)
