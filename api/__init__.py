"""The HTTP API: a thin Litestar layer that accepts requests, answers polls and never parses itself."""
