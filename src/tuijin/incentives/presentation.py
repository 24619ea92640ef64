"""How the scan shows the facts behind a proposal: a label, a value and a link to the page it comes from."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def project_link(project_id: int) -> str:
    return reverse("projects:detail", args=[project_id])


def fact(label: str, value: Any, link: str = "") -> dict[str, Any]:
    return {"label": label, "value": str(value), "link": link}
