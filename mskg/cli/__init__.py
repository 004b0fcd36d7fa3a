"""The `mskg` command line."""
