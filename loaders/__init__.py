"""Loaders: parse a source format, validate into ontology models, write through `graph/`."""
