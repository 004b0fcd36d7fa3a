"""The assembled GraphQL schema and its FastAPI router."""

from __future__ import annotations

import strawberry

from api.graphql.context import build_context
from api.graphql.extensions import (
    ErrorCodes,
    MutationsNeedAccount,
    QueryLimits,
    RoundTripCounter,
)
from api.graphql.ide import JsonErrorGraphQLRouter
from api.graphql.mutations import build_mutation
from api.graphql.queries import Query
from api.graphql.register import MUTATION_FIELDS as REGISTER_MUTATIONS
from api.graphql.subscriptions import Subscription
from api.graphql.types import OBJECT_TYPES

Mutation = build_mutation(REGISTER_MUTATIONS)

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=list(OBJECT_TYPES.values()),
    extensions=[ErrorCodes, QueryLimits, MutationsNeedAccount, RoundTripCounter],
)


def graphql_router() -> JsonErrorGraphQLRouter:
    # GraphiQL is served to browsers (Accept: text/html) on GET /graphql, from local copies.
    return JsonErrorGraphQLRouter(schema, context_getter=build_context, graphql_ide="graphiql")
