"""The toolkit: shared mechanisms under every app, importing none (DESIGN §9).

HTTP (``http``: API base classes, serializer fields, the error format, middleware), ``periods``,
input ``fields``, ``ranking``, ``spreadsheets`` (reading and writing workbooks), ``money``,
``errors``, ``attachments``, ``discovery``, ``logging``. A toolkit module may import Django,
DRF and third-party libraries, never ``tuijin.<app>``: the import-linter contracts in
``pyproject.toml`` keep it so. Where a mechanism must tell an app something (an access refused,
to be audited), it sends a signal declared in :mod:`tuijin.toolkit.signals`.
"""
