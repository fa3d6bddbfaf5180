"""``Annotated`` dependencies shared by the routers: the database and a unit of work.

SQLite allows one writer at a time. A transaction that reads first and writes later fails at
once with "database is locked" when another connection wrote in between, so on SQLite every
writing request waits for this server's write slot (an :class:`asyncio.Lock`, which holds no
worker thread while waiting) and then starts its transaction with ``BEGIN IMMEDIATE`` (which waits,
within the busy timeout, for writers in other processes such as the CLI).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from retrowalk.services.database import Database

#: Requests that may write.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def get_database(request: Request) -> Database:
    """The database the app opened at start-up."""
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


@contextmanager
def unit_of_work(db: Database, *, write: bool) -> Iterator[Session]:
    """A transaction; a writing one on SQLite takes the database's write lock first."""
    with db.transaction() as session:
        if write and _serialised(db):
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        yield session


def get_session(request: Request, db: DatabaseDep, _slot: WriteSlot) -> Iterator[Session]:
    """One transaction per request: committed before the response is sent, rolled back on error."""
    with unit_of_work(db, write=request.method in WRITE_METHODS) as session:
        yield session


#: A database session whose transaction ends before the response leaves (so a client that got
#: a 2xx can read its write back at once, and a failed commit is an error response).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


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
