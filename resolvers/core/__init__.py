"""Shared pieces of every area: errors, access, loaders, pagination, the calendar and hour rules."""
