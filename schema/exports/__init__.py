"""Spreadsheet exports run as jobs: the GraphQL types and queries."""
