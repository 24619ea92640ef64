"""Uploaded evidence (problems, supervision, incentive applications): checked by content, stored under random names.

Files live under ``settings.VAR_DIR / "private" / "attachments"`` — outside the static and media
folders, so no web server serves them; pages hand them out through a scoped view. The stored name is
random (never the uploaded name); the type is read from the first bytes, not trusted from the name
or the browser; size is limited (``TUIJIN_MAX_ATTACHMENT_BYTES``, default 10 MB).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from tuijin.toolkit.errors import ValidationFailed

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: type → (content type, extension)
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}
ALLOWED_LABEL = "PDF、PNG、JPG、Word（.docx）、Excel（.xlsx）"


def max_bytes() -> int:
    return int(getattr(settings, "TUIJIN_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def storage_dir() -> Path:
    path = Path(settings.VAR_DIR) / "private" / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sniff(source: bytes | Path) -> str | None:
    """The real type of a file from its content (bytes, or a stored file), or None when it is not one
    we accept: pdf, png, jpeg, docx, xlsx."""
    if isinstance(source, bytes):
        head = source[:8]
    else:
        with Path(source).open("rb") as stored:
            head = stored.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


@dataclass(frozen=True)
class StoredFile:
    original_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def store(upload: BinaryIO, *, name: str) -> StoredFile:
    """Check and store an upload; ValidationFailed (field ``file``) for an empty, too large or unknown file."""
    limit = max_bytes()
    data = upload.read(limit + 1)
    if not data:
        raise ValidationFailed("附件为空", field="file")
    if len(data) > limit:
        raise ValidationFailed(f"附件超过大小上限（{limit // (1024 * 1024)} MB）", field="file")
    kind = sniff(data)
    if kind is None:
        raise ValidationFailed(f"附件类型不受支持：只接受 {ALLOWED_LABEL}（按文件内容识别）", field="file")
    content_type, extension = KINDS[kind]
    stored_name = secrets.token_hex(16) + extension
    (storage_dir() / stored_name).write_bytes(data)
    original = Path(name or "附件").name[:200] or "附件"
    return StoredFile(original_name=original, stored_name=stored_name, content_type=content_type,
                      size=len(data), sha256=hashlib.sha256(data).hexdigest())


def path_of(stored_name: str) -> Path:
    """The file of a stored name (random hex + extension; anything else is refused)."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        raise ValidationFailed("附件名称无效", field="file")
    return storage_dir() / stored_name


def remove_quietly(stored_name: str) -> None:
    try:
        path_of(stored_name).unlink()
    except (OSError, ValidationFailed):
        pass
