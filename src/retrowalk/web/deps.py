"""``Annotated`` dependencies shared by the routers: the database and a unit of work.

Two ways to reach the database:

- :data:`TransactionDep` (the busiest routes: logging a session, the progress report): an
  ``async`` route hands one function to :meth:`Transaction.read` or :meth:`Transaction.write`,
  which runs it inside one transaction (begin, work and commit together).

  On SQLite the function runs on the event loop itself. SQLite work is CPU time in this process
  (WAL commits do not wait for the disk), and Python runs one thread at a time: work in worker
  threads only takes turns on the interpreter lock with the event loop, so every request in
  flight, and the one holding the write slot, takes longer. Measured with ``bench/api_load.py``
  (50 clients): p99 about 130 ms on the loop against about 240 ms in 4 worker threads, and
  about 650 ms with :data:`SessionDep`. A write that finds another process (the CLI) writing
  does not wait on the loop: it goes on in a worker thread, where ``BEGIN IMMEDIATE`` waits
  within the busy timeout. On PostgreSQL, which waits on the network, the function runs in a
  worker thread.
- :data:`SessionDep`: a sync route gets an open session. It costs three trips to the thread
  pool (open, route, commit).

SQLite allows one writer at a time. A transaction that reads first and writes later fails at
once with "database is locked" when another connection wrote in between, so on SQLite every
writing request waits for this server's write slot (an :class:`asyncio.Lock`, which holds no
worker thread while waiting) and then starts its transaction with ``BEGIN IMMEDIATE`` (which waits,
within the busy timeout, for writers in other processes such as the CLI).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Hashable, Iterator
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from typing import Annotated, Any, TypeVar

from anyio import to_thread
from fastapi import Depends, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from retrowalk.services.database import Database
from retrowalk.store.engine import SQLITE_BUSY_TIMEOUT_MS

T = TypeVar("T")

#: Requests that may write.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def get_database(request: Request) -> Database:
    """The database the app opened at start-up (``async``: a plain ``def`` dependency would cost
    every request a trip to the thread pool)."""
    db: Database = request.app.state.db
    return db


DatabaseDep = Annotated[Database, Depends(get_database)]


def _serialised(db: Database) -> bool:
    return db.engine.dialect.name == "sqlite"


def write_lock(request: Request) -> asyncio.Lock:
    """This app's write slot."""
    lock: asyncio.Lock | None = getattr(request.app.state, "write_lock", None)
    if lock is None:
        lock = request.app.state.write_lock = asyncio.Lock()
    return lock


async def write_slot(request: Request, db: DatabaseDep) -> AsyncIterator[None]:
    """Wait for the write slot (SQLite, writing methods only)."""
    if request.method in WRITE_METHODS and _serialised(db):
        async with write_lock(request):
            yield
    else:
        yield


WriteSlot = Annotated[None, Depends(write_slot, scope="function")]


class WriterBusyError(Exception):
    """Another connection holds SQLite's write lock (raised only when told not to wait)."""


@contextmanager
def unit_of_work(db: Database, *, write: bool, wait: bool = True) -> Iterator[Session]:
    """A transaction; a writing one on SQLite takes the database's write lock first.

    ``wait=False``: raise :class:`WriterBusyError` at once (nothing done) instead of waiting,
    within the busy timeout, when another connection is writing.
    """
    with db.transaction() as session:
        if write and _serialised(db):
            connection = session.connection()
            if wait:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql("PRAGMA busy_timeout=0")
                try:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                except OperationalError as exc:
                    raise WriterBusyError(str(exc)) from exc
                finally:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        yield session


def get_session(request: Request, db: DatabaseDep, _slot: WriteSlot) -> Iterator[Session]:
    """One transaction per request: committed before the response is sent, rolled back on error."""
    with unit_of_work(db, write=request.method in WRITE_METHODS) as session:
        yield session


#: A database session whose transaction ends before the response leaves (so a client that got
#: a 2xx can read its write back at once, and a failed commit is an error response).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _run(db: Database, work: Callable[[Session], T], *, write: bool, wait: bool = True) -> T:
    with unit_of_work(db, write=write, wait=wait) as session:
        return work(session)


#: Results kept by :meth:`Transaction.read_cached` (the newest ones).
READ_CACHE_SIZE = 16


class Transaction:
    """Runs a function on a database session in one transaction (see the module notes)."""

    def __init__(self, request: Request, db: Database) -> None:
        self._request = request
        self._db = db

    async def read_cached(self, key: Hashable, work: Callable[[Session], T]) -> T:
        """Like :meth:`read`, but the result is kept, under ``key`` and the database's
        :meth:`~retrowalk.services.database.Database.data_version`, and given again while
        nothing was committed since (by any connection or process). ``work`` must depend only
        on the database and on what ``key`` holds, and its result must not be changed by the
        caller. Without a data version (PostgreSQL) nothing is kept."""
        version = self._db.data_version()
        if version is None:
            return await self.read(work)
        cache: dict[Hashable, Any] = self._request.app.state.read_cache
        entry = (version, key)
        if entry in cache:
            found: T = cache[entry]
            return found
        result = await self.read(work)
        while len(cache) >= READ_CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[entry] = result
        return result

    async def read(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in a transaction that only reads."""
        if _serialised(self._db):
            return _run(self._db, work, write=False)
        return await to_thread.run_sync(partial(_run, self._db, work, write=False))

    async def write(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in a writing transaction: committed when it returns (so a client
        that got a 2xx can read its write back at once, and a failed commit is an error
        response), rolled back if it raises. On SQLite it waits for the write slot first."""
        in_thread = partial(_run, self._db, work, write=True)
        if not _serialised(self._db):
            return await to_thread.run_sync(in_thread)
        async with write_lock(self._request):
            try:
                return _run(self._db, work, write=True, wait=False)
            except WriterBusyError:  # another process writes: wait for it off the loop
                return await to_thread.run_sync(in_thread)


async def get_transaction(request: Request, db: DatabaseDep) -> Transaction:
    """The request's way to the database (no database work happens here)."""
    return Transaction(request, db)


TransactionDep = Annotated[Transaction, Depends(get_transaction)]


@asynccontextmanager
async def page_write(request: Request) -> AsyncIterator[Session]:
    """A writing transaction for a page's form post (same write slot as the API)."""
    db: Database = request.app.state.db
    lock = write_lock(request) if _serialised(db) else None
    if lock is not None:
        await lock.acquire()
    try:
        with unit_of_work(db, write=True) as session:
            yield session
    finally:
        if lock is not None:
            lock.release()
