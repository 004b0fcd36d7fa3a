"""The schema builder: the ontology in, the GraphQL schema out — and its FastAPI router.

`build_schema` is the one place the API is assembled; each step below is a function of the
ontology and of what the steps before it made (`Build`), and records in the build's mapping what
the resolvers will need to compile an operation into Cypher. Nothing is built at import time and
nothing is kept between builds.
"""

from __future__ import annotations

from api.graphql.analysis import analysis_fields, counts_fields
from api.graphql.changes import change_query_fields
from api.graphql.context import build_context
from api.graphql.document_cache import DEFAULT_SIZE, DocumentCache
from api.graphql.enums import build_enums
from api.graphql.extensions import (
    ErrorCodes,
    MutationsNeedAccount,
    QueryLimits,
    RoundTripCounter,
)
from api.graphql.ide import JsonErrorGraphQLRouter
from api.graphql.inputs import build_filter_inputs
from api.graphql.mapping import GraphMapping, MappedSchema
from api.graphql.mutations import (
    ADMIN_QUERY_FIELDS,
    build_mutation,
    build_mutation_inputs,
    change_result_type,
)
from api.graphql.queries import build_query
from api.graphql.register import register_mutation_fields, register_query_fields
from api.graphql.space import Build, TypeSpace
from api.graphql.subscriptions import build_subscription
from api.graphql.types import build_object_types
from ontology.model import Ontology


def build_schema(ontology: Ontology, document_cache_size: int = DEFAULT_SIZE) -> MappedSchema:
    """The GraphQL schema of `ontology`: types, filters, sorting, mutations and resolvers.

    `document_cache_size` bounds the documents kept parsed and validated by their text (0: none).
    """
    build = Build(ontology, build_enums(ontology), TypeSpace(), GraphMapping())
    # 1. `<Class>Where`/`<Class>Order` and relationship filters (arguments of the types below).
    build_filter_inputs(build)
    # 2. `Entity`, a type per class with its relationship fields, edge and connection types.
    objects = build_object_types(build)
    # 3. The inputs of create/update/upsert, and the result every change returns.
    build_mutation_inputs(build)
    change_result = change_result_type(objects.entity)
    # 4. The roots.
    query = build_query(
        build,
        {
            **analysis_fields(build),
            **change_query_fields(build.enums),
            **ADMIN_QUERY_FIELDS,
            **register_query_fields(build),
            **counts_fields(build),
        },
    )
    mutation = build_mutation(build, change_result, register_mutation_fields(build, change_result))
    documents = DocumentCache(document_cache_size)
    return MappedSchema(
        build.mapping,
        query=query,
        mutation=mutation,
        subscription=build_subscription(build.enums),
        types=objects.listed,
        # The cache comes after the limits and the sign-in check: they run on every request.
        extensions=[
            ErrorCodes,
            QueryLimits,
            MutationsNeedAccount,
            documents.extension(),
            RoundTripCounter,
        ],
        document_cache=documents,
    )


def graphql_router(schema: MappedSchema) -> JsonErrorGraphQLRouter:
    # GraphiQL is served to browsers (Accept: text/html) on GET /graphql, from local copies.
    return JsonErrorGraphQLRouter(schema, context_getter=build_context, graphql_ide="graphiql")
