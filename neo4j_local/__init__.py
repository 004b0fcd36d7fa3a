"""A real Neo4j Community server for development and tests, obtained from Maven Central.

The server runs as its own Java process (never inside Python); this package only prepares its
home directory, starts it, waits for Bolt and stops it by pid.
"""
