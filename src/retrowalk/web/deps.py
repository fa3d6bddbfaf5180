"""``Annotated`` dependencies shared by the routers: the database and one transaction per request.

Every route, page or API, reaches the database through :data:`SessionDep`: one transaction,
committed before the response is sent (so a client that got a 2xx can read its write back at
once, and a failed commit is an error response), rolled back on error.

SQLite allows one writer at a time, and a transaction that reads first and writes later fails
at once with "database is locked" when another connection wrote in between. So on SQLite a
writing request (POST, PUT, PATCH, DELETE) first waits for this server's write slot (an
:class:`asyncio.Lock`, which holds no worker thread while waiting) and then starts its
transaction with ``BEGIN IMMEDIATE``, which waits, within SQLite's busy timeout, for writers in
other processes such as the CLI.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from retrowalk.services.database import Database

#: Requests that may write.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def get_database(request: Request) -> Database:
    """The database the app opened at start-up."""
    db: Database = request.app.state.db
    return db


DatabaseDep = Annotated[Database, Depends(get_database)]


async def write_slot(request: Request, db: DatabaseDep) -> AsyncIterator[None]:
    """Wait for the app's write slot (SQLite, writing methods only)."""
    if request.method in WRITE_METHODS and db.engine.dialect.name == "sqlite":
        async with request.app.state.write_lock:
            yield
    else:
        yield


WriteSlot = Annotated[None, Depends(write_slot, scope="function")]


@contextmanager
def unit_of_work(db: Database, *, write: bool) -> Iterator[Session]:
    """A transaction; a writing one on SQLite takes the database's write lock first."""
    with db.transaction() as session:
        if write and db.engine.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        yield session


def get_session(request: Request, db: DatabaseDep, _slot: WriteSlot) -> Iterator[Session]:
    """One transaction per request: committed before the response is sent, rolled back on error."""
    with unit_of_work(db, write=request.method in WRITE_METHODS) as session:
        yield session


#: The request's database session (see the module notes).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
