"""HTTP access to the Fuseki dataset: queries, SPARQL Update, Graph Store Protocol loads.

Errors derive from :class:`StoreError`::

    StoreError
     ├── StoreUnavailableError   Fuseki did not answer (down, restarting, refused the connection)
     └── StoreRequestError       Fuseki answered with an error status (its message kept)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx


class StoreError(Exception):
    """Root of the errors raised while talking to the SPARQL store."""


class StoreUnavailableError(StoreError):
    """The store did not answer."""


class StoreRequestError(StoreError):
    """The store answered with an error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


@dataclass(frozen=True)
class StoreConfig:
    url: str  # the dataset: <url>/query, <url>/update, <url>/data
    user: str
    password: str


class FusekiStore:
    """One connection pool per API process to the shared dataset."""

    def __init__(self, config: StoreConfig, timeout: float) -> None:
        self.url = config.url.rstrip("/")
        self.client = httpx.AsyncClient(
            auth=(config.user, config.password),
            timeout=httpx.Timeout(timeout, connect=2.0),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )

    async def close(self) -> None:
        await self.client.aclose()

    async def open_query(self, query: str, accept: str) -> httpx.Response:
        """POST a query as the SPARQL protocol says; Fuseki's response, its body not read yet
        (stream it, then `aclose()` it). httpx.TimeoutException passes through."""
        request = self.client.build_request(
            "POST",
            f"{self.url}/query",
            content=query.encode("utf-8"),
            # Relayed byte for byte: no compression the caller did not ask for.
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": accept,
                "Accept-Encoding": "identity",
            },
        )
        try:
            return await self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise
        except httpx.TransportError as exc:
            raise StoreUnavailableError(
                f"the SPARQL store at {self.url} did not answer: {exc}"
            ) from exc

    async def _query(self, query: str) -> httpx.Response:
        try:
            return await self.client.post(
                f"{self.url}/query",
                content=query.encode("utf-8"),
                headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json",
                },
            )
        except httpx.HTTPError as exc:
            raise StoreUnavailableError(
                f"the SPARQL store at {self.url} did not answer: {exc}"
            ) from exc

    async def select(self, query: str) -> list[dict[str, Any]]:
        """Bindings of a SELECT, each variable mapped to its value's lexical form."""
        response = await self._checked(self._query(query))
        rows = response.json()["results"]["bindings"]
        return [{k: v["value"] for k, v in row.items()} for row in rows]

    async def update(self, text: str) -> None:
        await self._checked(
            self._post(
                f"{self.url}/update",
                text.encode("utf-8"),
                {"Content-Type": "application/sparql-update"},
            )
        )

    async def load(self, graph: str, ntriples: AsyncIterator[bytes], seconds: float) -> int:
        """Stream N-Triples into a named graph, or the default graph with `graph="default"`, in
        one request: Fuseki adds it in one transaction (all or nothing), ~10x faster than many
        small ones, and the store does not grow with a transaction per chunk. The count of
        triples Fuseki added."""
        params = {"default": ""} if graph == "default" else {"graph": graph}
        try:
            response = await self.client.post(
                f"{self.url}/data",
                content=ntriples,
                headers={"Content-Type": "application/n-triples"},
                params=params,
                timeout=httpx.Timeout(seconds, connect=2.0),
            )
        except httpx.TimeoutException as exc:
            raise StoreUnavailableError(f"the SPARQL store at {self.url} timed out") from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailableError(
                f"the SPARQL store at {self.url} did not answer: {exc}"
            ) from exc
        if response.status_code >= 400:
            raise StoreRequestError(response.status_code, response.text.strip()[:2000])
        return int(response.json().get("tripleCount", 0))

    async def _post(
        self,
        url: str,
        body: bytes,
        headers: dict[str, str],
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        try:
            return await self.client.post(url, content=body, headers=headers, params=params)
        except httpx.HTTPError as exc:
            raise StoreUnavailableError(
                f"the SPARQL store at {self.url} did not answer: {exc}"
            ) from exc

    async def _checked(self, pending: Any) -> httpx.Response:
        try:
            response: httpx.Response = await pending
        except httpx.TimeoutException as exc:
            raise StoreUnavailableError(f"the SPARQL store at {self.url} timed out") from exc
        if response.status_code >= 400:
            raise StoreRequestError(response.status_code, response.text.strip()[:2000])
        return response
