from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DealStage


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=DealStage.choices)
    moved_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class DealForm(forms.Form):
    """Parses input only; the service checks it (unit scope, amount in 亿元, leading chain)."""

    unit = forms.CharField(label=_("reporting unit"), max_length=32)
    name = forms.CharField(label=_("deal name"), max_length=200)
    investor = forms.CharField(label=_("investor"), max_length=200)
    amount = forms.CharField(label=_("Amount (100m yuan)"), max_length=32)
    leading_industry = forms.CharField(label=_("leading industry chain"), max_length=32, required=False)
    negotiating_since = forms.DateField(label=_("negotiating since"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))
    leader = forms.CharField(label=_("responsible leader"), max_length=64, required=False)
    principal_leader = forms.BooleanField(label=_("led by the unit's principal leader"), required=False)
    task_force = forms.CharField(label=_("task force"), max_length=200, required=False)
