"""Where bulletin files live: under ``MEDIA_ROOT/bulletins`` — never a served static folder.

They are downloaded only through the login-protected view (``bulletins:download``).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def bulletin_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "bulletins"
    path.mkdir(parents=True, exist_ok=True)
    return path


def relative_name(path: Path) -> str:
    """The path stored on the Bulletin row: relative to ``MEDIA_ROOT``."""
    return str(path.resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()))
