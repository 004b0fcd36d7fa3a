"""Parsed and validated documents, kept by their exact text so a repeated operation skips both.

Parsing and validation depend only on the query text and the schema: not on variables, the
caller or their role. That is all this cache keeps — a document is stored once it has parsed and
passed validation, never before and never when it failed, and a hit only hands back the syntax
tree and says "validation passed". Every check that can depend on the request (query limits,
which read the variables; sign-in for mutations; roles and redaction in the resolvers) runs as
before on every request, hit or miss.

One cache belongs to one schema build (`build_schema` makes it), so two schemas never share
documents. The size is bounded (least recently used entries go first) so unique query texts
cannot grow memory without limit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

DEFAULT_SIZE = 512


class DocumentCache:
    """A bounded LRU map from (query text, parse options) to a document that passed validation."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._documents: OrderedDict[tuple[str, tuple[tuple[str, object], ...]], DocumentNode] = (
            OrderedDict()
        )
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, tuple[tuple[str, object], ...]]) -> DocumentNode | None:
        document = self._documents.get(key)
        if document is None:
            self.misses += 1
            return None
        self._documents.move_to_end(key)
        self.hits += 1
        return document

    def put(self, key: tuple[str, tuple[tuple[str, object], ...]], document: DocumentNode) -> None:
        if self.size <= 0:
            return
        self._documents[key] = document
        self._documents.move_to_end(key)
        while len(self._documents) > self.size:
            self._documents.popitem(last=False)

    def __len__(self) -> int:
        return len(self._documents)

    def extension(self) -> Callable[[], CachedDocuments]:
        """A factory for the schema's extension list: one extension per request, one cache."""
        return lambda: CachedDocuments(self)


class CachedDocuments(SchemaExtension):
    """Serves a known-valid document instead of parsing it, and marks it validated.

    It must come after the extensions that check limits and sign-in in `on_validate`: those run
    first on every request, and only when none of them objected does a hit skip validation.
    """

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self._key: tuple[str, tuple[tuple[str, object], ...]] | None = None
        self._hit = False

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.graphql_document is None:
            self._key = (context.query, tuple(sorted(context.parse_options.items())))
            document = self.cache.get(self._key)
            if document is not None:
                context.graphql_document = document
                self._hit = True
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self._hit and context.pre_execution_errors is None:
            # Validation of this exact text passed before; an empty list tells strawberry so.
            context.pre_execution_errors = []
            yield
            return
        # `None` here means no earlier check objected, so strawberry validates below; an empty
        # list afterwards means validation ran and found nothing.
        validating = context.pre_execution_errors is None
        yield
        document = context.graphql_document
        if (
            validating
            and not self._hit
            and self._key is not None
            and document is not None
            and context.pre_execution_errors == []
        ):
            self.cache.put(self._key, document)
