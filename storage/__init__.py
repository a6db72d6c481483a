"""Storage layer: tortoise models, batch queries, tortoise config and migrations."""

# Model docstrings become SQL table comments, and tortoise does not escape quotes in them:
# keep apostrophes and semicolons out of model docstrings (the migration test would fail on SQLite).
