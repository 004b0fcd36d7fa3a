"""The `mskg` command line (settings live in `config`, shared with the API)."""
