"""The lexical check run on every SPARQL query before it reaches the store."""

from __future__ import annotations

import pytest

from api.sparql.scan import check_query

DEPTH = 64


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o }",
        'SELECT ?service WHERE { ?service ?p "SERVICE FROM {{{{ ((((" } # SERVICE FROM',
        "PREFIX ex: <urn:x#> SELECT * WHERE { ?s ex:service ?o . ?s ex:from ?f }",
        "SELECT * WHERE { ?s <urn:service> ?o FILTER(?o < 3 && ?o > 1) }",
        "SELECT * WHERE { ?s ?p ?o FILTER(lang(?o) = 'en') } # {{{{{{{{{{",
        "SELECT * WHERE { ?s ?p '''long { string\n with SERVICE''' }",
        "SELECT * WHERE {" + "{" * (DEPTH - 1) + " ?s ?p ?o " + "}" * DEPTH,
        'SELECT * WHERE { ?s ?p "a \\" SERVICE" }',
        "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    ],
)
def test_ordinary_queries_pass(query: str) -> None:
    assert check_query(query, DEPTH) is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }", "SERVICE_NOT_ALLOWED"),
        ("SELECT * WHERE { service <file:///etc/passwd> { ?s ?p ?o } }", "SERVICE_NOT_ALLOWED"),
        ("SELECT * WHERE { ?s ?p ?o.SERVICE <urn:x> { } }", "SERVICE_NOT_ALLOWED"),
        ("SELECT * WHERE { ?s ?p 1.SERVICE <urn:x> { } }", "SERVICE_NOT_ALLOWED"),
        ("SELECT * WHERE { SERVIC\\u0045 <urn:x> { } }", "SERVICE_NOT_ALLOWED"),
        ("SELECT * WHERE { SILENT SERVICE SILENT <urn:x> { } }", "SERVICE_NOT_ALLOWED"),
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "FROM_NOT_ALLOWED"),
        ("SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM_NOT_ALLOWED"),
        ("SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000, "QUERY_TOO_DEEP"),
        ("SELECT * WHERE { FILTER(" + "(" * 100 + "1" + ")" * 100 + ") }", "QUERY_TOO_DEEP"),
        ("SELECT * WHERE { \\u007B" * 100, "QUERY_TOO_DEEP"),
    ],
)
def test_refused_queries_say_why(query: str, code: str) -> None:
    refusal = check_query(query, DEPTH)
    assert refusal is not None
    assert refusal.code == code
    assert "character" in refusal.message


def test_the_scan_is_linear_on_a_long_query() -> None:
    query = "SELECT * WHERE { " + '?s ?p "x" . ' * 20000 + "}"
    assert check_query(query, DEPTH) is None
