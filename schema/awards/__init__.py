"""Awards under quotas (R15): the GraphQL types, inputs, queries and mutations."""
