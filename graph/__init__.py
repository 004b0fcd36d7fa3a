"""Neo4j access: the driver's lifecycle, the schema, and one module per aggregate.

The only package that imports `neo4j` or holds Cypher. Labels and relationship types in Cypher
come from the ontology's declared names; values are always parameters. Every call to Neo4j
goes through graph.gateway.
"""
