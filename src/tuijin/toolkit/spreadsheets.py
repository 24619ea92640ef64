"""Reading uploaded Excel workbooks safely, for every import (DESIGN §4.5, §4.6, §7, §8).

An uploaded file is untrusted. Before any cell is read, :func:`check_xlsx` makes sure it is an
.xlsx workbook at all and a reasonable one: not empty, not above ``TUIJIN_MAX_UPLOAD_BYTES``, a
zip (an encrypted workbook or a legacy .xls is an OLE file and is refused by its magic bytes,
whatever its name), with a workbook part, and not a zip bomb. It returns an :class:`XlsxFile`
with the file's sha256 (recorded in the import's audit entry) and its sheets, from which a
sheet is chosen and its formula cells are found by streaming the sheet's XML (calamine returns
formulas' cached values; imports refuse formulas rather than trust or evaluate them).

Cells are then read with python-calamine (DESIGN §2: about 8× faster than openpyxl), one row at
a time: :func:`open_sheet` gives a :class:`SheetReader` (merged ranges, the row count for the
``TUIJIN_MAX_IMPORT_ROWS`` limit, rows with their Excel row numbers); :func:`read_rows` is the
short form, and :func:`open_book` the long one, for an import that reads more than one sheet.
calamine gives ``''`` for an empty cell, ``float`` for numbers, and ``date`` / ``datetime`` /
``time`` / ``timedelta`` for dates and durations; :func:`cell_text`, :func:`is_blank` and
:func:`cell_decimal` normalise them.

Problems are collected, never raised one at a time (STYLE "Imports: every error at once"):
:class:`ImportIssue` is one error or warning with sheet, Excel row, column and a Chinese
message; :class:`ImportIssues` collects them (with caps on how many are listed) and renders
the JSON shape every import door returns::

    {"ok": bool,
     "errors":   [{"sheet": …, "row": …, "column": …, "message": …}, …],
     "warnings": [same shape],
     "summary":  {…what the import counted…}}

A file-level refusal (:class:`SpreadsheetRefused`) becomes one error without a row;
:func:`refusal` gives that JSON for a door that fails before an import can run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

__all__ = [
    "MAX_LISTED_ISSUES",
    "MAX_UNCOMPRESSED_BYTES",
    "RESAVE_ADVICE",
    "ImportIssue",
    "ImportIssues",
    "SheetPart",
    "SheetReader",
    "SpreadsheetRefused",
    "Workbook",
    "XlsxFile",
    "cell_decimal",
    "cell_text",
    "check_xlsx",
    "column_index",
    "column_letter",
    "count_data_rows",
    "is_blank",
    "map_headers",
    "norm_header",
    "open_book",
    "open_sheet",
    "read_rows",
    "refusal",
]

#: At most this many errors and as many warnings are listed; the counts stay exact.
MAX_LISTED_ISSUES = 10_000
#: A decompressed workbook above this is refused (a zip bomb, or far beyond the row limit).
MAX_UNCOMPRESSED_BYTES = 1 << 30

#: Zip-bomb limits: entries, and the compression ratio of any entry above RATIO_FLOOR_BYTES.
MAX_ZIP_ENTRIES = 10_000
MAX_COMPRESSION_RATIO = 200
RATIO_FLOOR_BYTES = 8 << 20

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # an encrypted OOXML file, or a legacy .xls
#: What the refusal of a file that is not a zip tells the user to do (see :func:`check_xlsx`).
RESAVE_ADVICE = "请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入"


class SpreadsheetRefused(Exception):
    """The file cannot be read as the workbook an import wants; ``message`` says why, in Chinese."""

    def __init__(self, message: str, *, sheet: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet


# ---------------------------------------------------------------------------
# Issues and the JSON result shape

@dataclass(frozen=True, slots=True)
class ImportIssue:
    """One error or warning: ``row`` is the Excel row number (None for the file as a whole)."""

    message: str
    row: int | None = None
    column: str = ""
    sheet: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet or None, "row": self.row, "column": self.column or None, "message": self.message}

    def line(self) -> str:
        """``第7行 本年累计（万元）：应为数字`` (STYLE), or the bare message for the file."""
        if self.row is None:
            return f"{self.column}：{self.message}" if self.column else self.message
        return f"第{self.row}行 {self.column}：{self.message}" if self.column else f"第{self.row}行：{self.message}"


@dataclass
class ImportIssues:
    """Errors and warnings of one import, in the order found; :meth:`sort` orders them for reading.

    An import subclasses this with its counts and fills :meth:`summary`.
    """

    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, message: str, *, row: int | None = None, column: str = "", sheet: str = "") -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ISSUES:
            self.errors.append(ImportIssue(message, row, column, sheet))

    def add_warning(self, message: str, *, row: int | None = None, column: str = "", sheet: str = "") -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_LISTED_ISSUES:
            self.warnings.append(ImportIssue(message, row, column, sheet))

    def refuse(self, exc: SpreadsheetRefused) -> None:
        """Record a file-level refusal as an error of the file."""
        self.add_error(exc.message, sheet=exc.sheet)

    def sort(self, columns: Iterable[str] = ()) -> None:
        """File-level issues first, then by row, then in the order of ``columns`` (the sheet's headers)."""
        order = {name: i for i, name in enumerate(columns)}

        def key(issue: ImportIssue) -> tuple[int, int, int]:
            return (0 if issue.row is None else 1, issue.row or 0, order.get(issue.column, len(order)))

        self.errors.sort(key=key)
        self.warnings.sort(key=key)

    def summary(self) -> dict[str, Any]:
        """What the import counted; subclasses add theirs to these two."""
        return {"error_count": self.error_count, "warning_count": self.warning_count}

    def as_dict(self) -> dict[str, Any]:
        """The JSON of the CLI (``--json``), the API and the pages."""
        return {
            "ok": self.ok,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "summary": self.summary(),
        }

    def issue_lines(self, *, warning_title: str = "提示") -> list[str]:
        """The Chinese listing of the errors and warnings (the CLI's report, before its summary line);
        ``warning_title`` heads the warnings (``数据质量提示 3 条…``)."""
        lines: list[str] = []
        if self.errors:
            lines.append(f"错误 {self.error_count} 处（有错误时整份文件不导入）：")
            lines += [f"  {e.line()}" for e in self.errors]
            if self.error_count > len(self.errors):
                lines.append(f"  ……另有 {self.error_count - len(self.errors)} 处错误未列出")
        if self.warnings:
            lines.append(f"{warning_title} {self.warning_count} 条（不影响导入，请核实）：")
            lines += [f"  {w.line()}" for w in self.warnings]
            if self.warning_count > len(self.warnings):
                lines.append(f"  ……另有 {self.warning_count - len(self.warnings)} 条提示未列出")
        return lines

    def outcome_line(self, head: str, *, dry_run: bool, created: int, updated: int, unchanged: int,
                     done: str) -> str:
        """The report's last line: ``{head}；`` then not imported, the dry run's preview, or the
        counts written followed by ``done`` (which ends the sentence: ``。批次号 …``)."""
        if not self.ok:
            return f"{head}；未导入。"
        counts = f"新增 {created} 行、更新 {updated} 行、{unchanged} 行无变化"
        if dry_run:
            return f"{head}；校验通过（试导入，未写入）：将{counts}。"
        return f"{head}；导入完成：{counts}{done}"


def refusal(message: str) -> dict[str, Any]:
    """The result JSON of an import refused before it ran (unknown user, missing file, no right)."""
    return {"ok": False, "errors": [{"sheet": None, "row": None, "column": None, "message": message}],
            "warnings": [], "summary": {}}


# ---------------------------------------------------------------------------
# The file as a file: size, magic bytes, zip structure, sheets, formulas

@dataclass(frozen=True)
class SheetPart:
    """A sheet of the workbook: its name, visibility and its part inside the zip."""

    name: str
    state: str  # visible / hidden / veryHidden
    path: str  # e.g. xl/worksheets/sheet1.xml


@dataclass(frozen=True)
class XlsxFile:
    """A workbook that passed :func:`check_xlsx`."""

    path: Path
    size: int
    sha256: str
    sheets: tuple[SheetPart, ...]

    def sheet(self, name: str | None = None, *, skip: Iterable[str] = ()) -> SheetPart:
        """The sheet called ``name``; without one (or when it is absent), the first visible sheet
        not in ``skip``. Raises :class:`SpreadsheetRefused` when there is none."""
        if name is not None:
            for part in self.sheets:
                if part.name == name:
                    return part
        skipped = set(skip)
        for part in self.sheets:
            if part.state == "visible" and part.name not in skipped:
                return part
        raise SpreadsheetRefused(f"文件中找不到“{name}”工作表" if name else "文件中没有可读取的工作表")

    def formula_cells(self, sheet: SheetPart) -> list[tuple[str, int]]:
        """Cells of ``sheet`` holding a formula, as (column letters, Excel row), in file order."""
        with zipfile.ZipFile(self.path) as zf:
            return _formula_cells(zf, sheet.path)


def check_xlsx(path: str | os.PathLike[str], *, advice: str = RESAVE_ADVICE) -> XlsxFile:
    """Check an uploaded file as a file before any cell is read; raise :class:`SpreadsheetRefused`.

    Refused: an unreadable or empty file, one above ``settings.TUIJIN_MAX_UPLOAD_BYTES``, an OLE
    file (a password-protected workbook or a legacy .xls), anything that is not a zip, a zip
    without a workbook part (another zip, a Word document), one that decompresses beyond
    :data:`MAX_UNCOMPRESSED_BYTES`, and a workbook whose structure cannot be parsed. ``advice``
    ends the refusal of a file that is not a zip (what to do instead).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SpreadsheetRefused("无法读取上传的文件") from exc
    if size == 0:
        raise SpreadsheetRefused("文件为空（0字节）")
    limit = settings.TUIJIN_MAX_UPLOAD_BYTES
    if size > limit:
        raise SpreadsheetRefused(f"文件大小 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB，请分批导入")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        head = fh.read(8)
        digest.update(head)
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if head == OLE_MAGIC:
        raise SpreadsheetRefused("文件设置了打开密码（已加密），或是旧版 Excel 97-2003（.xls）格式：请取消密码，"
                                 "并在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入")
    if not head.startswith(ZIP_MAGIC):
        raise SpreadsheetRefused(f"文件不是 Excel 工作簿（.xlsx）：{advice}")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SpreadsheetRefused("文件已损坏或不是 Excel 工作簿（.xlsx）") from exc
    with zf:
        if "xl/workbook.xml" not in set(zf.namelist()):
            raise SpreadsheetRefused("文件不是 Excel 工作簿（.xlsx）（可能是其他格式的压缩文件或 Word/WPS 文档）")
        infos = zf.infolist()
        max_total = min(getattr(settings, "TUIJIN_XLSX_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES),
                        MAX_UNCOMPRESSED_BYTES)
        if len(infos) > MAX_ZIP_ENTRIES or sum(info.file_size for info in infos) > max_total:
            raise SpreadsheetRefused("文件解压后过大，请分批导入")
        max_ratio = getattr(settings, "TUIJIN_XLSX_MAX_RATIO", MAX_COMPRESSION_RATIO)
        for info in infos:
            # A zip bomb: a small entry that inflates enormously (real sheets compress ~5–30×).
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
                raise SpreadsheetRefused("文件压缩比异常（疑似压缩炸弹），已拒绝；请在 Excel 中重新保存后再导入")
        sheets = tuple(_sheet_parts(zf))
    return XlsxFile(path=path, size=size, sha256=digest.hexdigest(), sheets=sheets)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(zf: zipfile.ZipFile) -> list[SheetPart]:
    """Sheets of the workbook in order, from ``xl/workbook.xml`` and its relationships."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as exc:
        raise SpreadsheetRefused("文件不是有效的 Excel 工作簿（.xlsx）：缺少或无法读取工作簿结构") from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels if _local(r.tag) == "Relationship"}
    parts: list[SheetPart] = []
    for element in book.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts.append(SheetPart(element.get("name", ""), element.get("state", "visible"), path))
    return parts


_NS = rb"(?:[A-Za-z_][\w.-]*:)?"
_FORMULA_HINTS = (b"<f", b":f")  # cheap substring tests; the regex decides
_FORMULA_CELL = re.compile(rb"<" + _NS + rb"c\s[^>]*?\br=\"([A-Z]{1,3})(\d+)\"[^>]*>\s*<" + _NS + rb"f[\s>/]")
_DIMENSION = re.compile(rb"<" + _NS + rb"dimension\s+ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")
_ROW_TAG = re.compile(rb"<" + _NS + rb"row[\s>]")
_CHUNK = 1 << 20
_OVERLAP = 512


def _formula_cells(zf: zipfile.ZipFile, part: str) -> list[tuple[str, int]]:
    """Formula cells as (column letters, Excel row), streaming the sheet XML in chunks.

    A cheap substring test on each chunk decides whether the regex runs at all.
    """
    found: list[tuple[str, int]] = []
    tail = b""
    try:
        stream = zf.open(part)
    except KeyError:
        return found
    with stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            buf = tail + chunk
            if any(h in buf for h in _FORMULA_HINTS):
                for m in _FORMULA_CELL.finditer(buf):
                    if m.end() > len(tail):  # not already seen in the previous buffer
                        found.append((m.group(1).decode(), int(m.group(2))))
            tail = buf[-_OVERLAP:]
    return found


def count_data_rows(path: str | os.PathLike[str], *, sheet: str | None = None, skip: Iterable[str] = (),
                    header_rows: int = 1) -> int:
    """A cheap count of the rows below the header of a sheet; 0 if the file cannot be read.

    Reads the sheet's ``<dimension>`` (or counts ``<row>`` tags) without parsing cells, so that a
    door can decide to run a large import as a background job.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            parts = _sheet_parts(zf)
            part = XlsxFile(Path(path), 0, "", tuple(parts)).sheet(sheet, skip=skip)
            with zf.open(part.path) as stream:
                head = stream.read(4096)
                m = _DIMENSION.search(head)
                if m is not None and m.group(1):
                    return max(int(m.group(1)) - header_rows, 0)
                rows, tail = 0, b""
                chunk = head
                while chunk:
                    buf = tail + chunk
                    rows += len(_ROW_TAG.findall(buf)) - len(_ROW_TAG.findall(tail))
                    tail = buf[-16:]
                    chunk = stream.read(_CHUNK)
                return max(rows - header_rows, 0)
    except (OSError, zipfile.BadZipFile, SpreadsheetRefused, KeyError, ElementTree.ParseError):
        return 0


# ---------------------------------------------------------------------------
# Cells, with python-calamine

def column_letter(index: int) -> str:
    """0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """``A`` → 0, ``AA`` → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class SheetReader:
    """One worksheet opened with python-calamine (see :func:`open_sheet`).

    Rows keep their place: :meth:`rows` yields the Excel row number (1-based) with the row's
    cells indexed by column (0 = column A), whatever empty rows or columns lie before the data.
    """

    def __init__(self, sheet: Any, name: str) -> None:
        self._sheet = sheet
        self.name = name
        start = sheet.start
        self.empty = start is None or sheet.height == 0
        self.first_col = 0 if start is None else start[1]
        #: The Excel number of the first row holding anything (0 for an empty sheet).
        self.first_row = 0 if self.empty else start[0] + 1
        end = sheet.end
        #: The Excel number of the last row holding anything (0 for an empty sheet).
        self.last_row = 0 if self.empty or end is None else end[0] + 1

    def merged_ranges(self) -> list[tuple[str, int]]:
        """Merged ranges as (``A1:B1``, first Excel row)."""
        out = []
        for (r0, c0), (r1, c1) in self._sheet.merged_cell_ranges or []:
            out.append((f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}", r0 + 1))
        return out

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(Excel row number, cells by column index), streaming."""
        if self.empty:
            return
        pad = [""] * self.first_col
        # python-calamine yields rows from row 1 (leading empty rows as rows of ''), but cells
        # from the first used column: put them back in their columns.
        for number, cells in enumerate(self._sheet.iter_rows(), start=1):
            yield number, (pad + cells) if pad else cells


class Workbook:
    """A workbook opened with python-calamine (see :func:`open_book`): its sheets by name."""

    def __init__(self, book: Any, *, detail: bool = True) -> None:
        self._book = book
        self._detail = detail
        self.names = [m.name for m in book.sheets_metadata]
        self.visible = [m.name for m in book.sheets_metadata
                        if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet]

    def sheet_name(self, sheet: str | None = None, *, skip: Iterable[str] = ()) -> str:
        """``sheet`` when the workbook has it, else the first visible worksheet not in ``skip``;
        :class:`SpreadsheetRefused` when there is none."""
        if sheet is not None and sheet in self.names:
            return sheet
        skipped = set(skip)
        name = next((n for n in self.visible if n not in skipped), None)
        if name is None:
            raise SpreadsheetRefused(f"文件中找不到“{sheet}”工作表" if sheet else "文件中没有可读取的工作表")
        return name

    def sheet(self, name: str) -> SheetReader:
        """The sheet called ``name``; :class:`SpreadsheetRefused` when it cannot be read."""
        try:
            return SheetReader(self._book.get_sheet_by_name(name), name)
        except Exception as exc:
            reason = exc if self._detail else "文件可能已损坏"
            raise SpreadsheetRefused(f"无法读取工作表“{name}”：{reason}", sheet=name) from exc


@contextmanager
def open_book(path: str | os.PathLike[str], *, detail: bool = True) -> Iterator[Workbook]:
    """Open a workbook with python-calamine, for an import that reads more than one of its sheets.

    Raises :class:`SpreadsheetRefused` for a password-protected, damaged or unreadable file, and
    (from :meth:`Workbook.sheet`) for an unreadable sheet; with ``detail`` the message names
    calamine's own reason, without it only says the file is damaged. Check the file with
    :func:`check_xlsx` first: calamine is not a guard against hostile files.
    """
    try:
        book = CalamineWorkbook.from_path(str(path))
    except PasswordError as exc:
        raise SpreadsheetRefused("文件设置了密码（已加密），请取消密码后再导入") from exc
    except Exception as exc:  # calamine raises several kinds for a damaged file
        raise SpreadsheetRefused(f"文件无法读取（已损坏或不是 .xlsx）：{exc}" if detail
                                 else "文件无法读取：已损坏，或不是 Excel 工作簿（.xlsx）") from exc
    with book:
        yield Workbook(book, detail=detail)


@contextmanager
def open_sheet(path: str | os.PathLike[str], sheet: str | None = None, *,
               skip: Iterable[str] = ()) -> Iterator[SheetReader]:
    """Open a sheet (by name, else the first visible one not in ``skip``) with python-calamine.

    Raises :class:`SpreadsheetRefused` as :func:`open_book` does, or when there is no such sheet.
    """
    with open_book(path) as book:
        yield book.sheet(book.sheet_name(sheet, skip=skip))


def read_rows(path: str | os.PathLike[str], sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """(Excel row number, cells by column index) of a sheet, streaming; see :class:`SheetReader`."""
    with open_sheet(path, sheet) as reader:
        yield from reader.rows()


def norm_header(value: Any) -> str:
    """A header as compared: no whitespace, full-width brackets, ASCII percent sign."""
    text = "" if value is None else str(value)
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）").replace("％", "%")


def map_headers(cells: list[Any], wanted: Iterable[str]) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """The columns of a header row: header → column index, and repeated headers as
    (header, first column index, repeated column index). Headers match by :func:`norm_header`;
    cells that are none of ``wanted`` are ignored."""
    by_norm = {norm_header(h): h for h in wanted}
    columns: dict[str, int] = {}
    repeated: list[tuple[str, int, int]] = []
    for index, value in enumerate(cells):
        name = by_norm.get(norm_header(value))
        if name is None:
            continue
        if name in columns:
            repeated.append((name, columns[name], index))
        else:
            columns[name] = index
    return columns, repeated


def is_blank(value: Any) -> bool:
    return value == "" or value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any, *, true: str = "是", false: str = "否") -> str:
    """A cell as text: stripped strings, whole floats without ``.0``, ISO dates, booleans as 是/否."""
    if value == "" or value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def cell_decimal(value: Any, *, percent_sign: bool = False) -> Decimal:
    """A number cell as an exact Decimal; ``ValueError`` with a Chinese reason otherwise.

    Floats are read by their shortest repr (``0.1`` → ``Decimal('0.1')``), text may carry
    thousands separators (``1,234.5``) and, with ``percent_sign``, a trailing ``%``.
    """
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time | dt.timedelta):
        raise ValueError("应为数字")
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        if percent_sign:
            text = text.rstrip("%％").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"应为数字，实际为“{cell_text(value)}”") from None
    if not number.is_finite():
        raise ValueError("应为有限的数字")
    return number



# ---------------------------------------------------------------------------
# Writing workbooks: every export goes through new_workbook (no formula injection)

#: XlsxWriter's conversions of written strings, all off: ``write("=HYPERLINK(…)")`` would otherwise
#: make a live formula of text a user typed (OWASP "CSV injection"), ``write("http://…")`` a link and
#: ``write("1e5")`` a number. With them off, every ``write``/``write_row`` of a ``str`` is a string
#: cell, which no spreadsheet evaluates, and text read back from a template is what was written.
SAFE_WRITE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

#: The characters that make a spreadsheet treat a CSV field as a formula (OWASP): ``= + - @``, tab, CR.
CSV_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def new_workbook(target: Any, *, constant_memory: bool = False, in_memory: bool | None = None,
                 **options: Any) -> Any:
    """An ``xlsxwriter.Workbook`` for an export (``target``: a path or a binary file object).

    Every workbook the platform writes is made here, so user text is never a formula: strings are
    written as strings whatever they start with. A formula the code itself means is written with
    ``write_formula``, which stays a formula. ``constant_memory`` streams rows (large exports);
    ``in_memory`` defaults to the opposite, as XlsxWriter needs.
    """
    import xlsxwriter

    opts: dict[str, Any] = {"constant_memory": constant_memory,
                            "in_memory": (not constant_memory) if in_memory is None else in_memory}
    opts.update(options)
    opts.update(SAFE_WRITE_OPTIONS)
    return xlsxwriter.Workbook(target, opts)


def csv_safe(value: Any) -> Any:
    """A CSV field that no spreadsheet evaluates: text starting with ``= + - @``, tab or CR gets a
    leading apostrophe (OWASP CSV-injection guidance). Numbers pass unchanged. Only for CSV: in
    .xlsx, :func:`new_workbook` writes strings as strings, which needs no prefix."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_TRIGGERS):
        return "'" + value
    return value
