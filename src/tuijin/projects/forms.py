"""Forms parse input only; the rules live in ``services.clean_project_data``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.orgs import policy
from tuijin.orgs.models import Org, User, units_visible_to
from tuijin.plan import current_plan

from .models import InvestmentType, Nature, Project, Tag


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def plain_number(value: Decimal | None) -> str:
    """4000.0000 → '4000' for an input box."""
    return "" if value is None else format(value.normalize(), "f")


def plan_choices(items: Any, blank: bool = False) -> list[tuple[str, str]]:
    choices = [(i.code, i.name) for i in items]
    return [("", "—"), *choices] if blank else choices


class ProjectForm(forms.Form):
    """The project record. Money in 万元; two annual-plan boxes for the plan year and the next."""

    name = forms.CharField(label=_("project name"), max_length=200, required=False)
    project_code = forms.CharField(label=_("project code"), max_length=40, required=False,
                                   help_text=_("National format YYYY-AAAAAA-BB-CC-NNNNNN"))
    unit = forms.ChoiceField(label=_("reporting unit"), required=False)
    departments = forms.MultipleChoiceField(label=_("responsible departments"), required=False,
                                            widget=forms.SelectMultiple(attrs={"size": 4}))
    category = forms.ChoiceField(label=_("category"), required=False)
    field = forms.ChoiceField(label=_("field"), required=False)
    leading_industry = forms.ChoiceField(label=_("leading industry"), required=False)
    nature = forms.ChoiceField(label=_("nature"), choices=Nature.choices, required=False)
    investment_type = forms.ChoiceField(label=_("investment type"), choices=InvestmentType.choices, required=False)
    total_investment = forms.CharField(label=_("total investment (10k yuan)"), required=False)
    plan_this_year = forms.CharField(label=_("annual plan this year (10k yuan)"), required=False)
    plan_next_year = forms.CharField(label=_("annual plan next year (10k yuan)"), required=False)
    owner_name = forms.CharField(label=_("owner"), max_length=200, required=False)
    owner_uscc = forms.CharField(label=_("owner USCC"), max_length=30, required=False)
    planned_start = forms.CharField(label=_("planned start"), required=False, widget=DateInput)
    planned_end = forms.CharField(label=_("planned completion"), required=False, widget=DateInput)
    actual_start = forms.CharField(label=_("actual start"), required=False, widget=DateInput)
    actual_end = forms.CharField(label=_("actual completion"), required=False, widget=DateInput)
    leader = forms.CharField(label=_("responsible city leader"), max_length=64, required=False)
    tags = forms.MultipleChoiceField(label=_("tags"), choices=Tag.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    lat = forms.CharField(label=_("latitude"), required=False)
    lon = forms.CharField(label=_("longitude"), required=False)
    content = forms.CharField(label=_("construction content"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("contact"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=32, required=False)
    in_statistics = forms.BooleanField(label=_("in statistics"), required=False)
    statistics_date = forms.CharField(label=_("statistics inclusion date"), required=False, widget=DateInput)
    green_channel = forms.BooleanField(label=_("green channel"), required=False)
    green_channel_reason = forms.CharField(label=_("green channel reason"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    #: service field → form field, for showing service errors inline.
    ERROR_FIELDS = {"annual_plans": "plan_this_year", "total_investment_yuan": "total_investment"}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = current_plan()
        self.year = plan.meta.year
        self.fields["plan_this_year"].label = _("annual plan %(year)s (10k yuan)") % {"year": self.year}
        self.fields["plan_next_year"].label = _("annual plan %(year)s (10k yuan)") % {"year": self.year + 1}
        units = units_visible_to(user)
        if not policy.can(user, "manage_city_data"):
            units = [u for u in units if user.reporting_unit and u.pk == user.reporting_unit.pk]
        self.fields["unit"].choices = [("", "—"), *[(u.code, u.name) for u in units]]
        self.fields["departments"].choices = [(o.code, o.name) for o in Org.objects.departments()]
        self.fields["category"].choices = plan_choices(plan.categories, blank=True)
        self.fields["field"].choices = plan_choices(plan.fields, blank=True)
        self.fields["leading_industry"].choices = plan_choices(plan.leading_industries, blank=True)
        for name, f in self.fields.items():
            if isinstance(f.widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            css = "form-check-input" if isinstance(f.widget, forms.CheckboxInput) else "form-control form-control-sm"
            if isinstance(f.widget, forms.Select):
                css = "form-select form-select-sm"
            f.widget.attrs.setdefault("class", css)
            f.widget.attrs.setdefault("data-field", name)

    @classmethod
    def initial_from(cls, project: Project, year: int) -> dict[str, Any]:
        plans = {p.year: plain_number(p.amount) for p in project.annual_plans.all()}
        return {
            **{name: getattr(project, name) for name in (
                "name", "project_code", "category", "field", "leading_industry", "nature", "investment_type",
                "owner_name", "owner_uscc", "planned_start", "planned_end", "actual_start", "actual_end", "leader",
                "address", "lat", "lon", "content", "contact_name", "contact_phone", "in_statistics",
                "statistics_date", "green_channel", "green_channel_reason", "version")},
            "unit": project.unit.code,
            "departments": [d.code for d in project.departments.all()],
            "tags": project.tag_codes(),
            "total_investment": plain_number(project.total_investment),
            "plan_this_year": plans.get(year, ""),
            "plan_next_year": plans.get(year + 1, ""),
        }

    def service_data(self, *, project: Project | None = None) -> dict[str, Any]:
        """The cleaned form as the service's input dict."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        this_year, next_year = data.pop("plan_this_year"), data.pop("plan_next_year")
        plans = {p.year: p.amount for p in project.annual_plans.all()} if project else {}
        for year, value in ((self.year, this_year), (self.year + 1, next_year)):
            if value not in (None, ""):
                plans[year] = value
            else:
                plans.pop(year, None)
        data["annual_plans"] = plans
        if project is not None and not data.get("unit"):
            data.pop("unit")
        return data

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            target = self.ERROR_FIELDS.get(name, name)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class AdvanceForm(forms.Form):
    to = forms.CharField()
    reason = forms.CharField(required=False, max_length=500)
    version = forms.IntegerField(required=False)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit = forms.ChoiceField(label=_("reporting unit"), required=False)
    field = forms.ChoiceField(label=_("field"), required=False)
    category = forms.ChoiceField(label=_("category"), required=False)
    tag = forms.ChoiceField(label=_("tags"), required=False, choices=[("", "—"), *Tag.choices])
    stage = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = current_plan()
        self.fields["unit"].choices = [("", "—"), *[(u.code, u.short_name or u.name) for u in units_visible_to(user)]]
        self.fields["field"].choices = plan_choices(plan.fields, blank=True)
        self.fields["category"].choices = plan_choices(plan.categories, blank=True)
        for f in self.fields.values():
            if isinstance(f.widget, forms.Select):
                f.widget.attrs["class"] = "form-select form-select-sm"
            elif not isinstance(f.widget, forms.HiddenInput):
                f.widget.attrs["class"] = "form-control form-control-sm"

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
