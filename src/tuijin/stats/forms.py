"""Forms of official statistics parse input only; the rules live in ``stats.services`` and ``stats.importing``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.jobs.uploads import size_refusal


class StatsUploadForm(forms.Form):
    """The bureau's sheet, the month of rows without a 期间 of their own, and whether to check only."""

    file = forms.FileField(label=_("Excel file (.xlsx)"))
    period = forms.CharField(label=_("Statistical period (YYYY-MM)"), max_length=16)
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({
            "class": "form-control form-control-sm",
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        self.fields["period"].widget.attrs.update({"class": "form-control form-control-sm", "placeholder": "2022-06",
                                                   "size": 8})
        self.fields["dry_run"].widget.attrs["class"] = "form-check-input"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        problem = size_refusal(upload.size)  # the upload pipeline's limit, as every door words it
        if problem:
            raise forms.ValidationError(problem)
        return upload
