"""Forms of monthly reporting parse input only; the rules live in ``reporting.services``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.jobs.uploads import size_refusal
from tuijin.toolkit.money import yuan_to_wan

from .models import ProgressReport

PROJECT_REASON_RE = re.compile(r"^project_reason_(\d+)$")


def plain_number(value: Decimal | None) -> str:
    """4000.0000 → '4000' for an input box."""
    return "" if value is None else format(value.normalize(), "f")


def _style(form: forms.Form) -> None:
    for name, f in form.fields.items():
        if isinstance(f.widget, forms.HiddenInput):
            continue
        if isinstance(f.widget, forms.CheckboxInput):
            f.widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(f.widget, forms.ClearableFileInput):
            f.widget.attrs.setdefault("class", "form-control form-control-sm")
        else:
            f.widget.attrs.setdefault("class", "form-control form-control-sm")
        f.widget.attrs.setdefault("data-field", name)


class ReportRowForm(forms.Form):
    """One grid row as typed: money in 万元, percent 0–100; ``version`` the row the user loaded."""

    month_amount = forms.CharField(label=_("investment this month (10k yuan)"), required=False, max_length=40)
    physical_progress = forms.CharField(label=_("physical progress"), required=False, max_length=600)
    percent_complete = forms.CharField(label=_("percent complete"), required=False, max_length=20)
    started = forms.BooleanField(label=_("started"), required=False)
    notes = forms.CharField(label=_("notes"), required=False, max_length=600)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    #: service error key → form field
    ERROR_FIELDS = {"month_amount_yuan": "month_amount"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["month_amount"].widget.attrs.update({"inputmode": "decimal", "size": 8})
        self.fields["percent_complete"].widget.attrs.update({"inputmode": "decimal", "size": 4})

    @classmethod
    def initial_from(cls, report: ProgressReport | None) -> dict[str, Any]:
        if report is None:
            return {"version": ""}
        return {
            "month_amount": plain_number(yuan_to_wan(report.month_amount_yuan)),
            "physical_progress": report.physical_progress,
            "percent_complete": plain_number(report.percent_complete),
            "started": report.started,
            "notes": report.notes,
            "version": report.version,
        }

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    def loaded_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return value or None

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            target = self.ERROR_FIELDS.get(name, name)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class UploadForm(forms.Form):
    """An xlsx file filled from the template, and whether to check it only (dry run)."""

    file = forms.FileField(label=_("Excel file (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = size_refusal(upload.size)  # the upload pipeline's limit, as every door words it
        if problem:
            raise forms.ValidationError(problem)
        return upload


class ReturnForm(forms.Form):
    """The city's return: a reason for the whole period, and/or ``project_reason_<id>`` per project."""

    reason = forms.CharField(label=_("Reason for return"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def project_reasons(self) -> dict[int, str]:
        """The non-empty per-project reasons posted with the form."""
        out: dict[int, str] = {}
        for key in self.data:
            m = PROJECT_REASON_RE.match(key)
            if m and (self.data.get(key) or "").strip():
                out[int(m.group(1))] = self.data[key].strip()
        return out


class CorrectionForm(forms.Form):
    """The values a unit asks to change on an approved row, and why."""

    month_amount = forms.CharField(label=_("investment this month (10k yuan)"), required=False, max_length=40)
    physical_progress = forms.CharField(label=_("physical progress"), required=False, max_length=600)
    percent_complete = forms.CharField(label=_("percent complete"), required=False, max_length=20)
    started = forms.BooleanField(label=_("started"), required=False)
    notes = forms.CharField(label=_("notes"), required=False, max_length=600)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def changes(self, report: ProgressReport) -> dict[str, Any]:
        """Only the fields whose typed value differs from the row (the service checks them)."""
        current = ReportRowForm.initial_from(report)
        out = {}
        for name in ("month_amount", "physical_progress", "percent_complete", "started", "notes"):
            value = self.cleaned_data.get(name)
            if name == "started":
                if bool(value) != bool(current[name]):
                    out[name] = bool(value)
            elif (value or "").strip() != str(current[name] or ""):
                out[name] = value
        return out


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
