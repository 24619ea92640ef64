"""Start-up check: every scoped model is audited, or exempt with a reason (DESIGN §9)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import checks

#: Scoped models (``scope_field``) that are deliberately not audited, by ``app_label.model``, with why.
EXEMPT: dict[str, str] = {
    "projects.annualplan": "part of its project's audited snapshot (the project entry lists the annual plans): "
                           "written only with the project",
    "reporting.unitmonthsummary": "derived rows: recomputed from the audited progress reports and unit periods "
                                  "(the cockpit summary refresh); auditing them would log every figure twice",
}


def unaudited_scoped_models(models: Iterable[Any], exempt: dict[str, str] | None = None) -> list[checks.Error]:
    exempt = EXEMPT if exempt is None else exempt
    errors = []
    for model in models:
        label = model._meta.label_lower
        if not getattr(model, "scope_field", None) or getattr(model, "audited", False):
            continue
        if not str(exempt.get(label, "")).strip():
            errors.append(checks.Error(
                f"{label} has a scope (scope_field) but is not audited",
                hint="set audited = True on the model, or list it in tuijin.audit.checks.EXEMPT with a reason",
                obj=model, id="tuijin.audit.E001"))
    return errors


@checks.register(checks.Tags.models)
def check_scoped_models_audited(app_configs=None, **kwargs) -> list[checks.Error]:
    from django.apps import apps

    if app_configs is None:
        models = apps.get_models()
    else:
        models = [m for config in app_configs for m in config.get_models()]
    return unaudited_scoped_models(models)
