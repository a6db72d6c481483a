"""Fees (R16): the GraphQL types and queries."""
