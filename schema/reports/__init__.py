"""Rates of participation and passing (R14): the GraphQL types and queries."""
