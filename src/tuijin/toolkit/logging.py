"""Log formatting that user input cannot forge (ASVS V7.3.1 / 等保 安全审计)."""

from __future__ import annotations

import logging


def escape_controls(text: str) -> str:
    """Newlines, carriage returns and other control characters shown as escapes."""
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode() for c in text)


class SafeFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:  # logging's name
        record.message = escape_controls(record.getMessage())
        return super().formatMessage(record)

    def formatException(self, ei) -> str:
        # Tracebacks keep their lines, but each line's content is escaped.
        return "\n".join(escape_controls(line) for line in super().formatException(ei).splitlines())
