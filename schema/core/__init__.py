"""Shared pieces of the API: context, errors, ids, nodes, pagination, scalars, mutations."""
