"""The HTTP service: FastAPI app factory, REST routes and the GraphQL endpoint."""
