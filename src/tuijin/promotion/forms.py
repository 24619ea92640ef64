from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DealStage


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=DealStage.choices)
    moved_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("note"), max_length=500, required=False)
