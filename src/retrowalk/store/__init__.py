"""Storage adapter: SQLAlchemy models, engine setup and Alembic migrations."""

from retrowalk.store.engine import check_connection, make_engine, make_session_factory, transaction
from retrowalk.store.migrate import current_revision, head_revision, upgrade

__all__ = [
    "check_connection",
    "current_revision",
    "head_revision",
    "make_engine",
    "make_session_factory",
    "transaction",
    "upgrade",
]
