"""The huey tasks of background jobs that live in this app, for the worker's discovery of ``tasks``
modules: the one task of every import job (:mod:`tuijin.jobs.uploads`)."""

from __future__ import annotations

from .uploads import run_import

__all__ = ["run_import"]
