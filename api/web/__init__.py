"""The web workspace: server-rendered pages over the API's own GraphQL schema."""
