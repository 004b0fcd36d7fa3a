"""MSKG's composition root: settings and the `mskg` command line."""
