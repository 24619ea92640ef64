"""OC4IDS 0.9.5 export (CLI and API): valid against the schema, public fields only, scoped."""

from __future__ import annotations

import datetime as dt
import json
import os
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

pytestmark = pytest.mark.django_db

def _schema_dir() -> Path:
    """The OC4IDS 0.9.5 schema is shared data kept outside the repository (``shared/oc4ids`` beside the
    checkout, read in place, not copied): ``TUIJIN_OC4IDS_SCHEMA_DIR``, else the nearest ancestor's
    ``shared/oc4ids``, else ``/work/shared/oc4ids``."""
    if os.environ.get("TUIJIN_OC4IDS_SCHEMA_DIR"):
        return Path(os.environ["TUIJIN_OC4IDS_SCHEMA_DIR"])
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "oc4ids" / "project-package-schema.json").is_file():
            return parent / "shared" / "oc4ids"
    return Path("/work/shared/oc4ids")


SCHEMA_DIR = _schema_dir()


def validator() -> jsonschema.Draft4Validator:
    package = json.loads((SCHEMA_DIR / "project-package-schema.json").read_text())
    project = json.loads((SCHEMA_DIR / "project-schema.json").read_text())
    registry = Registry().with_resource(project["id"], Resource.from_contents(project, default_specification=DRAFT4))
    return jsonschema.Draft4Validator(package, registry=registry,
                                      format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def assert_valid(package):
    errors = sorted(validator().iter_errors(package), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.fixture
def library(make_project, approved_report, funding):
    a = make_project("jinshui", tags=("special_bond",), actual_start=dt.date(2022, 3, 1), stage="construction",
                     address="郑州市金水区北三环", lat=34.80, lon=113.66, content="新建厂房及生产线",
                     contact_phone="13800000000", owner_uscc="91410105MA9G1RT2A5")
    funding(a, "special_bond", "20000", "15000")
    approved_report(a, "2022-05", ytd_wan="3000", percent="20.5", progress="主体结构施工")
    approved_report(a, "2022-06", ytd_wan="4000", percent="30", progress="主体结构封顶")
    b = make_project("zhongyuan", nature="renovation", stage="reserve")
    return {"a": a, "b": b}


def test_the_cli_package_is_valid_oc4ids(library, tmp_path):
    out = tmp_path / "package.json"
    call_command("export_oc4ids", "-o", str(out))
    package = json.loads(out.read_text(encoding="utf-8"))
    assert_valid(package)
    assert package["version"] == "0.9"
    projects = {p["title"]: p for p in package["projects"]}
    a = projects[library["a"].name]
    assert a["status"] == "implementation" and a["type"] == "construction"
    assert a["budget"]["amount"] == {"amount": 500_000_000, "currency": "CNY"}
    assert a["budget"]["finance"][0]["type"] == "bond"
    assert a["locations"][0]["geometry"]["coordinates"] == [113.66, 34.80]
    metrics = {m["id"]: m for m in a["metrics"]}
    assert [o["value"]["amount"] for o in metrics["financialProgress"]["observations"]] == [30_000_000, 40_000_000]
    assert metrics["physicalProgress"]["observations"][-1]["measure"] == 30.0
    assert projects[library["b"].name]["status"] == "identification"


def test_only_public_fields_are_published(library, tmp_path):
    out = tmp_path / "package.json"
    call_command("export_oc4ids", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "13800000000" not in text and "91410105MA9G1RT2A5" not in text


def test_the_cli_scopes_by_unit_and_user(library, tmp_path, users):
    out = tmp_path / "jinshui.json"
    call_command("export_oc4ids", "--unit", "jinshui", "-o", str(out))
    package = json.loads(out.read_text(encoding="utf-8"))
    assert_valid(package)
    assert [p["title"] for p in package["projects"]] == [library["a"].name]
    with pytest.raises(CommandError):
        call_command("export_oc4ids", "--unit", "zhongyuan", "--as", "jinshui", "-o", str(tmp_path / "x.json"))


def test_the_api_package_is_valid_and_scoped(library, api):
    response = api("jinshui").get("/api/v1/oc4ids/")
    assert response.status_code == 200
    package = response.json()
    assert_valid(package)
    assert [p["title"] for p in package["projects"]] == [library["a"].name]
    assert api("jinshui").get("/api/v1/oc4ids/?unit=zhongyuan").status_code == 404
    assert api("auditor").get("/api/v1/oc4ids/").status_code == 403
    assert len(api("fgw").get("/api/v1/oc4ids/").json()["projects"]) == 2


def test_the_validator_catches_a_wrong_status(library, tmp_path):
    out = tmp_path / "package.json"
    call_command("export_oc4ids", "-o", str(out))
    package = json.loads(out.read_text(encoding="utf-8"))
    package["projects"][0]["status"] = "under_construction"
    with pytest.raises(AssertionError, match="status"):
        assert_valid(package)


def test_project_ids_carry_the_city_and_the_project_never_the_plans_year(library, tmp_path, settings):
    """Ids leave the platform: ``zhengzhou-<project>``, the same once a 2023 plan is in the directory."""
    from tuijin.plan import reset_plans

    source = Path(__file__).resolve().parents[2] / "plans" / "zhengzhou-2022.yaml"
    plans = tmp_path / "plans"
    plans.mkdir()
    text = source.read_text(encoding="utf-8")
    (plans / "zhengzhou-2022.yaml").write_text(text, encoding="utf-8")

    def exported_ids() -> dict[str, str]:
        reset_plans()
        out = tmp_path / "package.json"
        call_command("export_oc4ids", "-o", str(out))
        return {p["title"]: p["id"] for p in json.loads(out.read_text(encoding="utf-8"))["projects"]}

    settings.TUIJIN_PLANS_DIR = plans
    try:
        ids_2022 = exported_ids()
        assert ids_2022 == {library["a"].name: f"zhengzhou-{library['a'].pk}",
                            library["b"].name: f"zhengzhou-{library['b'].pk}"}
        for old, new in (("  id: zhengzhou-2022\n", "  id: zhengzhou-2023\n"), ("  year: 2022\n", "  year: 2023\n"),
                         ("  issued: 2022-04-01\n", "  issued: 2023-03-20\n"),
                         ("    from_year: 2023\n    to_year: 2022\n", "    from_year: 2024\n    to_year: 2023\n"),
                         ("    budget_year: 2022\n", "    budget_year: 2023\n")):
            assert old in text
            text = text.replace(old, new)
        (plans / "zhengzhou-2023.yaml").write_text(text, encoding="utf-8")
        call_command("plan_check", stdout=StringIO())  # the directory now holds 2022 and 2023
        assert exported_ids() == ids_2022
    finally:
        reset_plans()
