"""The GraphQL endpoint (strawberry)."""
