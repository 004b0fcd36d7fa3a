from __future__ import annotations

import httpx


def test_healthz_and_readyz(http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_graphql_version_and_introspection(http: httpx.Client) -> None:
    response = http.post(
        "/graphql",
        json={"query": "{ version __schema { queryType { name fields { name } } } }"},
    )
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    assert body["data"]["version"] == "0.1.0"
    fields = {f["name"] for f in body["data"]["__schema"]["queryType"]["fields"]}
    assert "version" in fields


def test_graphiql_served_to_browsers(http: httpx.Client) -> None:
    page = http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
