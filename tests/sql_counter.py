"""Counts the SQL statements the ORM sends, for the N+1 tests."""

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_STATEMENT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)


class SqlCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []
        # Each statement with the values it was sent with (for EXPLAIN, test_query_plans.py).
        self.sent: list[tuple[str, list[Any]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        text = str(args[0]) if args else record.getMessage()
        if _STATEMENT.match(text):
            self.statements.append(text)
            values = args[1] if len(args) > 1 else None
            self.sent.append((text, list(values) if isinstance(values, list | tuple) else []))

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_sql() -> Iterator[SqlCounter]:
    logger = logging.getLogger("tortoise.db_client")
    counter = SqlCounter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
