"""Manage a local Apache Jena Fuseki server (from Maven Central) that holds MSKG's SPARQL store."""
