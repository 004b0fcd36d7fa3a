"""SPARQL over the graph: the API's side of the shared store held by Apache Jena Fuseki.

`store` talks to Fuseki over HTTP, `sync` keeps the store current from the revision log (one
writer at a time, compare-and-set on every update), `scan` checks a query before it is sent.
No API process holds a copy of the graph.
"""
