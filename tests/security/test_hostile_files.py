"""Hostile files at the progress importer (等保 8.1.4.4 入侵防范 / 8.1.4.6 数据完整性; ASVS V12, V5).

Random bytes and mutated workbooks through the real API door: never a 500, never a partial write.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reporting import test_workflow as workflow
from reporting.import_fixtures import build_xlsx, data_row
from tuijin.audit.models import AuditEntry
from tuijin.reporting.models import ProgressReport
from tuijin.toolkit.spreadsheets import SpreadsheetRefused, check_xlsx

building, clock = workflow.building, workflow.clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def valid_workbook(building, clock, tmp_path) -> bytes:
    projects = [building() for _ in range(3)]
    path = build_xlsx(tmp_path / "ok.xlsx", [data_row(p.project_code, amount=10 + i) for i, p in enumerate(projects)],
                      meta=("2022-07", "jinshui"))
    return path.read_bytes()


def _post(api, data: bytes, name: str = "f.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return api("jinshui").post("/api/v1/progress/import/", {"file": upload, "period": "2022-07", "unit": "jinshui"},
                               format="multipart")


def _assert_all_or_nothing(response, before: int) -> None:
    assert response.status_code < 500
    body = response.json()
    written = ProgressReport.objects.count() - before
    if response.status_code == 200 and body.get("ok"):
        assert written == body["summary"]["created"]
    else:
        assert written == 0, body
        assert body.get("detail") or body.get("errors")


def _mutate(data: bytes, seed: int, how: str) -> bytes:
    rng = random.Random(seed)
    raw = bytearray(data)
    if how == "flip":
        for _ in range(rng.randint(1, 20)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    if how == "truncate":
        return bytes(raw[: rng.randrange(1, len(raw))])
    if how == "splice":
        at = rng.randrange(len(raw))
        return bytes(raw[:at] + rng.randbytes(rng.randint(1, 200)) + raw[at:])
    # "part": a well-formed zip whose one part is garbage or truncated XML
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    victim = rng.choice(names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            content = src.read(name)
            if name == victim:
                content = content[: rng.randrange(len(content) + 1)] + rng.randbytes(rng.randint(0, 50))
            dst.writestr(name, content)
    return out.getvalue()


@given(data=st.binary(min_size=0, max_size=4096))
@hsettings(max_examples=25, deadline=None, derandomize=True, database=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_random_bytes_never_cause_a_500_or_a_write(api, users, data):
    before = ProgressReport.objects.count()
    _assert_all_or_nothing(_post(api, data), before)


@given(seed=st.integers(0, 2**32 - 1), how=st.sampled_from(["flip", "truncate", "splice", "part"]))
@hsettings(max_examples=40, deadline=None, derandomize=True, database=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_mutated_workbooks_never_cause_a_500_or_a_partial_write(api, users, valid_workbook, seed, how):
    before = ProgressReport.objects.count()
    _assert_all_or_nothing(_post(api, _mutate(valid_workbook, seed, how)), before)


def test_the_unmutated_workbook_imports(api, users, valid_workbook):
    response = _post(api, valid_workbook)
    assert response.status_code == 200 and response.json()["ok"] and ProgressReport.objects.count() == 3
    entry = AuditEntry.objects.filter(action="import").latest("id")
    assert entry.after["file"] == "f.xlsx" and len(entry.after["sha256"]) == 64


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"0" * (40 << 20) + b"</a>")
    return path


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    path = _bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 200_000
    with pytest.raises(SpreadsheetRefused, match="压缩炸弹"):
        check_xlsx(path)


def test_a_zip_bomb_through_the_api_is_a_clear_400(api, users, clock, tmp_path):
    response = _post(api, _bomb(tmp_path / "bomb.xlsx").read_bytes())
    assert response.status_code in (200, 400) and "压缩炸弹" in str(response.json())
    assert ProgressReport.objects.count() == 0


def test_the_real_type_comes_from_the_content_not_the_name(api, users, clock):
    response = _post(api, b"%PDF-1.7\n1 0 obj <<>> endobj\n", name="report.xlsx")
    assert "不是 Excel 工作簿" in str(response.json())
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600
    assert "已加密" in str(_post(api, ole, name="old.xlsx").json())


def test_the_size_cap_comes_from_settings(api, users, clock, settings):
    settings.TUIJIN_MAX_UPLOAD_BYTES = 1000
    response = _post(api, b"PK\x03\x04" + b"x" * 2000)
    assert response.status_code == 400 and "文件过大" in str(response.json())


def test_the_row_cap_comes_from_settings(api, users, building, clock, settings, tmp_path):
    settings.TUIJIN_MAX_IMPORT_ROWS = 2
    projects = [building() for _ in range(3)]
    path = build_xlsx(tmp_path / "rows.xlsx", [data_row(p.project_code) for p in projects], meta=("2022-07", "jinshui"))
    body = _post(api, path.read_bytes()).json()
    assert body.get("ok") is False and ProgressReport.objects.count() == 0
    assert "行" in str(body)


def test_formulas_are_refused_not_evaluated(api, users, building, clock, tmp_path):
    a = building()
    path = build_xlsx(tmp_path / "formula.xlsx", [data_row(a.project_code)], meta=("2022-07", "jinshui"),
                      formulas={(1, 3): "=WEBSERVICE(\"http://example.invalid/\")"})
    body = _post(api, path.read_bytes()).json()
    assert body["ok"] is False and "公式" in str(body["errors"]) and ProgressReport.objects.count() == 0


def test_uploads_are_stored_under_random_names_outside_served_folders(tmp_path):
    from tuijin.jobs.uploads import save_upload

    class Upload:
        name = "../../static/evil.html"

        def chunks(self):
            yield b"<script>alert(1)</script>"

    stored = Path(save_upload(Upload()))
    try:
        assert "evil" not in stored.name and stored.suffix == ".xlsx"
        served = [Path(settings.STATIC_ROOT).resolve()]
        assert not any(stored.resolve().is_relative_to(root) for root in served)
        assert stored.resolve().is_relative_to(Path(settings.VAR_DIR).resolve() / "uploads")
    finally:
        stored.unlink()
