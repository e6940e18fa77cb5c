"""Fixtures of the fastapi-seed suite: the suite's own table, the test's own AsyncSession (on an
engine of its own, its connection named after the test function), an HTTP client for the app."""
import asyncio

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app import Base, app, asyncpg_url


def engine_named(name, **options):
    return create_async_engine(
        asyncpg_url(), connect_args={"server_settings": {"application_name": name}}, **options)


@pytest.fixture(scope="session", autouse=True)
def seed_lamps_table():
    """Creates seed_lamps for the run and drops it at the end (no other table is touched)."""
    async def run(*steps):
        engine = engine_named("suite-setup")
        async with engine.begin() as conn:
            for step in steps:
                await conn.run_sync(step)
        await engine.dispose()

    asyncio.run(run(Base.metadata.drop_all, Base.metadata.create_all))
    yield
    asyncio.run(run(Base.metadata.drop_all))


@pytest.fixture
async def session(request):
    """The test's own AsyncSession, expire_on_commit=False, on an engine named after the test;
    `@pytest.mark.isolation_level("REPEATABLE READ")` sets its isolation level."""
    marker = request.node.get_closest_marker("isolation_level")
    options = {"isolation_level": marker.args[0]} if marker else {}
    engine = engine_named(request.node.originalname, **options)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
    await engine.dispose()


@pytest.fixture
async def client():
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        yield client
