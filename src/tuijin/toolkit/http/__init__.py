"""HTTP mechanisms shared by every door: API base pieces, fields, the error format, middleware."""
