"""The `tuijin` console script.

`tuijin plan-check FILE` runs the management command `plan_check`: hyphenated
sub-commands map to Django management commands, so the CLI and `manage.py`
share one implementation.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuijin.settings")
    from django.core.management import execute_from_command_line

    if argv and not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")
    execute_from_command_line(["tuijin", *argv])


if __name__ == "__main__":
    main()
