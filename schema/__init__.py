"""The GraphQL schema: strawberry types, inputs and payloads, one module per area."""
