"""The live feed: committed revisions pushed to subscribers (graphql-transport-ws).

Each API process has one poller of Neo4j's revision log (api/feed.py) shared by all its
subscriptions, so a change made through any process reaches subscribers of every process —
nothing lives only in one process's memory — and a thousand subscribers cost one poll a tick.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from enum import Enum

import strawberry
from strawberry.types import Info

from api.feed import FeedEndedError
from api.graphql.changes import RevisionInfo, revision_info
from api.graphql.enums import OntologyEnums, plain
from api.graphql.errors import FEED_ENDED, api_error, unavailable_error
from api.graphql.naming import list_of, nullable
from api.graphql.types import resolver_with
from graph.accounts import sees_contact_details
from graph.errors import GraphUnavailableError


async def _changes(
    info: Info,
    types: list[Enum] | None = None,  # the build's EntityType (see build_subscription)
    ids: list[str] | None = None,
) -> AsyncGenerator[RevisionInfo, None]:
    state = info.context.state
    wanted_types = {plain(t) for t in types} if types else None
    wanted_keys = set(ids) if ids else None
    sees = sees_contact_details(info.context.user)
    try:
        async with state.feed.subscribe() as subscriber:
            async for rev in subscriber.revisions():
                classes = {c.class_name for c in rev.changes}
                keys = {k for c in rev.changes for k in c.keys}
                if wanted_types is not None and not classes & wanted_types:
                    continue
                if wanted_keys is not None and not keys & wanted_keys:
                    continue
                yield revision_info(rev, sees)
    except GraphUnavailableError as exc:
        raise unavailable_error(exc) from exc
    except FeedEndedError as exc:
        raise api_error(str(exc), FEED_ENDED) from exc


def build_subscription(enums: OntologyEnums) -> type:
    """The Subscription root: the live feed of revisions."""
    changes = resolver_with(
        _changes,
        {
            "info": Info,
            "types": nullable(list_of(enums.entity_type)),
            "ids": nullable(list_of(str)),
            "return": AsyncGenerator[RevisionInfo, None],
        },
    )
    namespace = {
        "__module__": __name__,
        "changes": strawberry.subscription(
            resolver=changes,
            description="Every revision committed from now on (by any API process), optionally "
            "only those touching entities of `types` or with keys in `ids`.",
        ),
    }
    made: type = strawberry.type(type("Subscription", (), namespace), description="Live updates.")
    return made
