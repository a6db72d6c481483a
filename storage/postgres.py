"""The PostgreSQL engine: tortoise's asyncpg client, made to outlive connections the server drops
(a restart, a failover, `pg_terminate_backend`) and to tell the request layer whether a request
that failed could have written anything.

What goes wrong with tortoise 1.1's client as it is (tests/test_lost_connections.py):

1. Outside a transaction every statement takes a pool connection and gives it back, and asyncpg's
   release sends a reset query (`SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
   RESET ALL`): a second round trip per statement. A backend that dies between the two turns a
   read that has its rows into an error, because tortoise raises what the release raises. The
   plugin keeps no session state (no SET, LISTEN, advisory lock or cursor), so its connections
   reset nothing.
2. A backend terminated while its connection sits idle in the pool sends an error first and
   closes the socket after. Until the event loop has seen the close, asyncpg takes the connection
   for alive and the next statement on it fails ("cannot switch to state 15; another operation
   (2) is in progress", "connection was closed in the middle of operation"). One terminated
   backend usually means all of them, so the first lost connection expires the whole pool (every
   later acquire connects afresh), and a read outside a transaction, or a statement the error
   proves was never sent, is run once more.
3. A transaction whose BEGIN fails keeps its connection checked out and leaves the task's
   connection set to the dead transaction (tortoise sets it before BEGIN and resets it in
   `__aexit__`, which then never runs), and a failed ROLLBACK skips the reset as well: every later
   statement of the request would go to the dead connection.

`tracking_writes()` records whether a statement that could have committed went out: a COMMIT, or
a statement outside a transaction that is not a read (a SELECT, or a WITH query that names no
INSERT, UPDATE, DELETE or MERGE: the read models' common table expressions). A request that
lost its connection and sent none has changed nothing and may run again. SQLite never loses a
connection; its writes are not recorded.
"""

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionContext
from tortoise.connection import ConnectionToken, get_connections
from tortoise.exceptions import DBConnectionError, TransactionManagementError

logger = logging.getLogger("lms_plugin.database")

# Errors after which the connection is gone, whatever the statement was.
_LOST = (
    ConnectionError,  # the socket was reset or broken
    DBConnectionError,
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08
    asyncpg.exceptions.AdminShutdownError,  # 57P01: pg_terminate_backend, a fast shutdown
    asyncpg.exceptions.CrashShutdownError,  # 57P02
    asyncpg.exceptions.CannotConnectNowError,  # 57P03: the server is starting or stopping
    asyncpg.InternalClientError,
)


def _never_sent(error: BaseException) -> bool:
    """asyncpg refused the statement before writing a byte of it: the protocol was still busy
    with the server's farewell, or knew the connection closed."""
    message = str(error)
    if isinstance(error, asyncpg.InternalClientError):
        return message.startswith("cannot switch to state")
    return isinstance(error, asyncpg.InterfaceError) and message.endswith("connection is closed")


def lost_connection(error: BaseException) -> bool:
    """The database connection was lost (not a bug in the statement, not a refusal)."""
    return _never_sent(error) or isinstance(error, _LOST)


@dataclass
class WriteLog:
    """Whether the request sent a statement that could have committed."""

    sent: bool = False


_WRITES: ContextVar[WriteLog | None] = ContextVar("lms_plugin_writes", default=None)


@contextmanager
def tracking_writes() -> Iterator[WriteLog]:
    """Records the writes of the code run inside (tasks it starts share the log)."""
    log = WriteLog()
    token = _WRITES.set(log)
    try:
        yield log
    finally:
        _WRITES.reset(token)


def _record_write() -> None:
    log = _WRITES.get()
    if log is not None:
        log.sent = True


_READS = {"execute_query", "execute_query_dict"}


# Any of these words anywhere in a WITH query makes it a write, even in a literal: a read
# mistaken for a write only loses its retry, a write mistaken for a read could run twice.
_MODIFYING = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def is_read(sql: str) -> bool:
    """Whether a statement only reads (a lost one may be sent again)."""
    head = sql.lstrip()[:6].upper()
    return head == "SELECT" or (head[:4] == "WITH" and _MODIFYING.search(sql) is None)


def _is_read(func: Callable[..., Any], args: tuple[Any, ...]) -> bool:
    return func.__name__ in _READS and is_read(str(args[0]))


class _Connection(asyncpg.Connection):
    def get_reset_query(self) -> str:
        # Nothing to reset (see 1. above): a release costs no round trip.
        return ""


class PostgresClient(AsyncpgDBClient):
    connection_class = _Connection

    async def _translate_exceptions(
        self, func: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        # Every statement outside a transaction comes through here (tortoise's decorator).
        write = not _is_read(func, args)
        try:
            return await super()._translate_exceptions(func, *args, **kwargs)
        except Exception as error:
            if not lost_connection(error):
                raise
            await self.connection_lost(error)
            if write and not _never_sent(error):
                raise
            return await self._again(func, *args, **kwargs)
        finally:
            if write:
                _record_write()

    async def _again(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Once more, on a new connection: a read, or a statement that never went out."""
        try:
            return await super()._translate_exceptions(func, *args, **kwargs)
        except Exception as error:
            if lost_connection(error):
                await self.connection_lost(error)
            raise

    async def connection_lost(self, error: BaseException) -> None:
        """Connections opened before the loss are replaced as they are next acquired."""
        logger.warning("database connection lost, renewing the pool: %r", error)
        if self._pool is not None:
            await self._pool.expire_connections()

    async def ready_pool(self) -> Any:
        if self._pool is None:
            async with self._pool_init_lock:
                if self._pool is None:
                    await self.create_connection(with_db=True)
        return self._pool

    def _in_transaction(self) -> TransactionContext:
        return _PooledTransaction(_Transaction(self), self)


class _Transaction(TransactionWrapper):
    """A transaction on one pooled connection that renews the pool when the connection is
    lost, and records its COMMIT."""

    _parent: PostgresClient

    async def _translate_exceptions(
        self, func: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        try:
            return await super()._translate_exceptions(func, *args, **kwargs)
        except Exception as error:
            if lost_connection(error):
                await self._parent.connection_lost(error)
            raise

    async def commit(self) -> None:
        # A COMMIT that went out and got no answer may have taken effect.
        try:
            await super().commit()
        except Exception as error:
            if lost_connection(error):
                await self._parent.connection_lost(error)
            if not _never_sent(error):
                _record_write()
            raise
        _record_write()


def _terminate(connection: Any) -> None:
    """Closes a pooled connection whose state is unknown (the pool opens a new one); one that
    was closed already has gone back to the pool."""
    if connection._con is not None:
        connection.terminate()


class _PooledTransaction(TransactionContext):
    """tortoise's `TransactionContextPooled`, but the connection is given back and the task's
    connection restored whatever fails (see 3. above)."""

    client: _Transaction

    def __init__(self, client: _Transaction, owner: PostgresClient) -> None:
        self.client = client
        self.owner = owner
        self.pool: Any = None
        self.token: ConnectionToken | None = None

    async def __aenter__(self) -> _Transaction:
        self.pool = await self.owner.ready_pool()
        connection = await self.pool.acquire()
        self.client._connection = connection
        try:
            await self.client.begin()
        except BaseException:
            _terminate(connection)
            raise
        self.token = get_connections().set(self.client.connection_name, self.client)
        return self.client

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        connection = self.client._connection
        try:
            if not self.client._finalized:
                if exc_type is None:
                    await self.client.commit()
                elif exc_type is not TransactionManagementError:
                    await self._roll_back()
        except BaseException:
            _terminate(connection)
            raise
        else:
            await self.pool.release(connection)
        finally:
            get_connections().reset(self.token)

    async def _roll_back(self) -> None:
        """A transaction that failed; when the connection is gone the server has rolled it
        back already, and the error that failed it is the one to raise."""
        try:
            await self.client.rollback()
        except Exception as error:
            if not lost_connection(error):
                raise
            _terminate(self.client._connection)
            await self.owner.connection_lost(error)


# tortoise loads an engine module's `client_class` (storage/config.py names this module).
client_class = PostgresClient
