"""Requests that neither the GraphQL schema nor /openapi.json describes: any JSON value or raw
bytes as a /graphql body, raw bytes and small generated SPARQL documents to /sparql."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from hypothesis import strategies as st

if TYPE_CHECKING:
    from tests.fuzz.campaign import Identity

# SERVICE and FROM point at a closed loopback port: the fuzz run must never send the server
# anywhere else.
CLOSED = "http://127.0.0.1:9/"


@dataclass(frozen=True)
class RawRequest:
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)

    @property
    def operation(self) -> str:
        kind = self.headers.get("Content-Type", "")
        return f"{self.method} {self.path}" + (f" ({kind})" if kind else "")

    def curl(self, identity: Identity) -> str:
        parts = ["curl", "-X", self.method]
        for name, value in self.headers.items():
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if identity.token:
            parts += ["-H", '"Authorization: Bearer $MSKG_TOKEN"']
        if self.body:
            parts += ["--data-binary", _bash_bytes(self.body)]
        query = f"?{urlencode(self.params)}" if self.params else ""
        parts.append(f'"$MSKG_API{self.path}"' + (shlex.quote(query) if query else ""))
        return " ".join(parts)


def _bash_bytes(data: bytes) -> str:
    """A bash $'…' word that is exactly these bytes (invalid UTF-8 included)."""
    out = []
    for byte in data:
        char = chr(byte)
        if char in "\\'":
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    return "$'" + "".join(out) + "'"


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)

# Bodies shaped like a GraphQL request, with any value in each member.
graphql_shaped: st.SearchStrategy[Any] = st.fixed_dictionaries(
    {},
    optional={
        "query": st.text(max_size=60)
        | st.sampled_from(["{ version }", "query Q($k: String!) { entity(key: $k) { key } }"])
        | json_values,
        "variables": json_values,
        "operationName": json_values,
        "extensions": json_values,
    },
)

_graphql_types = st.sampled_from(
    [
        "application/json",
        "application/graphql",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ]
)
_sparql_types = st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded"])


@st.composite
def sparql_queries(draw: st.DrawFn) -> str:
    """Small, bounded SPARQL: nesting, OPTIONAL, UNION, FILTER, VALUES, SERVICE and FROM to a
    closed port, property paths, a LIMIT always (no unbounded cartesian products)."""
    depth = draw(st.integers(0, 12))
    triple = draw(
        st.sampled_from(
            [
                "?s ?p ?o",
                "?s a ?c",
                "?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?o",
                "?s (<http://www.w3.org/2004/02/skos/core#broader>)+ ?o",
                "?s ?p ?o . ?s ?q ?v",
            ]
        )
    )
    extra = draw(
        st.lists(
            st.sampled_from(
                [
                    "OPTIONAL { ?s ?q ?v }",
                    "FILTER(lang(?o) = 'zh')",
                    "FILTER(regex(str(?o), " + json.dumps(draw(st.text(max_size=6))) + "))",
                    "{ ?s ?p ?o } UNION { ?o ?p ?s }",
                    "VALUES ?s { <https://w3id.org/mskg/id/committee/sac-tc28> }",
                    f"SERVICE <{CLOSED}> {{ ?s ?p ?o }}",
                    "BIND(strlen(str(?o)) AS ?n)",
                    "MINUS { ?s a ?x }",
                ]
            ),
            max_size=3,
        )
    )
    body = " . ".join([triple, *extra])
    for _ in range(depth):
        body = f"{{ {body} }}"
    form = draw(
        st.sampled_from(
            [
                "SELECT * WHERE",
                "SELECT DISTINCT ?s WHERE",
                "ASK",
                "CONSTRUCT WHERE",
                "DESCRIBE ?s WHERE",
                f"SELECT * FROM <{CLOSED}> WHERE",  # noqa: S608 — SPARQL from constants
            ]
        )
    )
    limit = "" if form == "ASK" else f" LIMIT {draw(st.integers(0, 20))}"
    return f"{form} {{ {body} }}{limit}"


def raw_requests() -> st.SearchStrategy[RawRequest]:
    graphql_json = st.builds(
        lambda value, kind: RawRequest(
            "POST", "/graphql", json.dumps(value).encode(), {"Content-Type": kind}
        ),
        json_values | graphql_shaped,
        _graphql_types,
    )
    graphql_bytes = st.builds(
        lambda body, kind: RawRequest("POST", "/graphql", body, {"Content-Type": kind}),
        st.binary(max_size=48),
        _graphql_types,
    )
    graphql_get = st.builds(
        lambda q, v: RawRequest(
            "GET",
            "/graphql",
            params={"query": q, **({"variables": v} if v else {})},
            headers={"Accept": "application/json"},
        ),
        st.text(max_size=40) | st.just("{ version }"),
        st.text(max_size=20),
    )
    sparql_bytes = st.builds(
        lambda body, kind: RawRequest("POST", "/sparql", body, {"Content-Type": kind}),
        st.binary(max_size=48) | st.text(max_size=40).map(str.encode),
        _sparql_types,
    )
    sparql_documents = st.builds(
        lambda text, how: (
            RawRequest(
                "POST", "/sparql", text.encode(), {"Content-Type": "application/sparql-query"}
            )
            if how == "body"
            else RawRequest(
                "POST",
                "/sparql",
                urlencode({"query": text}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
            if how == "form"
            else RawRequest("GET", "/sparql", params={"query": text})
        ),
        sparql_queries(),
        st.sampled_from(["body", "form", "get"]),
    )
    return st.one_of(graphql_json, graphql_bytes, graphql_get, sparql_bytes, sparql_documents)
