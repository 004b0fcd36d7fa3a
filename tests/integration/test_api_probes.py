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


def test_every_page_has_an_icon(http: httpx.Client) -> None:
    icon = http.get("/favicon.ico", follow_redirects=True)
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.lstrip().startswith("<svg")
    page = http.get("/", headers={"Accept": "text/html"})
    assert '<link rel="icon" href="/static/favicon.svg"' in page.text
