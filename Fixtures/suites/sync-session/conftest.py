"""Fixtures of the sync-session suite: the suite's own table, the test's own Session (on an engine
of its own, its connection named after the test function), a TestClient for the app."""
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import sync_app
from sync_app import Base, app, psycopg2_url


def engine_named(name, **options):
    return create_engine(psycopg2_url(), connect_args={"application_name": name}, **options)


@pytest.fixture(scope="session", autouse=True)
def sync_lamps_table():
    """Creates sync_lamps for the run and drops it at the end (no other table is touched)."""
    engine = engine_named("suite-setup")
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield
    sync_app.engine.dispose()
    Base.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def session(request):
    """The test's own Session, expire_on_commit=False, on an engine named after the test;
    `@pytest.mark.isolation_level("REPEATABLE READ")` sets its isolation level. Its open
    transaction is rolled back at teardown."""
    marker = request.node.get_closest_marker("isolation_level")
    options = {"isolation_level": marker.args[0]} if marker else {}
    engine = engine_named(request.node.originalname, **options)
    session = Session(engine, expire_on_commit=False)
    yield session
    session.rollback()
    session.close()
    engine.dispose()


@pytest.fixture
def client():
    return TestClient(app)
