"""Forms of the assessment pages: they only parse; the services check and explain (in Chinese)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .services import STATUS_LABELS


class FollowUpForm(forms.Form):
    """The supervision office's follow-up of an escalation: its status and a dated note."""

    status = forms.ChoiceField(label=_("status"), choices=list(STATUS_LABELS.items()))
    note = forms.CharField(label=pgettext_lazy("assessment", "Follow-up"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs["class"] = "form-select form-select-sm"


class UnitTargetForm(forms.Form):
    """A unit's annual growth target (percent) and why; the service checks the range."""

    growth_target = forms.CharField(label=_("Growth target (%)"), max_length=20,
                                    widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}))
    note = forms.CharField(label=_("Why (optional)"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class QuarterForm(forms.Form):
    """Which quarter to evaluate (``YYYYQn``); the service parses it."""

    quarter = forms.CharField(max_length=10)
