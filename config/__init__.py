"""Configuration shared by every entry point (the API factory, the CLI, the test fixtures).

Its own layer, beneath the API and the CLI, so the API reads settings without importing the CLI's
package; import-linter keeps `graph/`, `loaders/` and `ontology/` from reading settings at all —
they are handed what they need.
"""
