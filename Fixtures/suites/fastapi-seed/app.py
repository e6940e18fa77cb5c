"""The seed's application: FastAPI + async SQLAlchemy 2.x + asyncpg.

`POST /lamps/{id}/switch-on` loads the lamp through the application's own AsyncSession (its own
engine, so its own connection, named `app`), sets it 'on' and commits.
"""
import os

from fastapi import Depends, FastAPI
from sqlalchemy import Text, make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool


def asyncpg_url():
    """DATABASE_URL (postgresql://user[:password]@host:port/db, or ...@/db?host=/dir&port=N) for asyncpg."""
    return make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+asyncpg")


class Base(DeclarativeBase):
    pass


class Lamp(Base):
    __tablename__ = "seed_lamps"
    id: Mapped[int] = mapped_column(primary_key=True)
    # A client-side default: an INSERT sends 'off' and returns only the id.
    status: Mapped[str] = mapped_column(Text, default="off", server_default="off")


# NullPool: a connection per request, so none outlives a test's event loop.
engine = create_async_engine(
    asyncpg_url(), poolclass=NullPool, connect_args={"server_settings": {"application_name": "app"}})
Sessions = async_sessionmaker(engine, expire_on_commit=False)


async def get_session():
    async with Sessions() as session:
        yield session


app = FastAPI()


@app.post("/lamps/{lamp_id}/switch-on")
async def switch_on(lamp_id: int, session: AsyncSession = Depends(get_session)):
    lamp = await session.get(Lamp, lamp_id)
    lamp.status = "on"
    await session.commit()
    return {"id": lamp.id, "status": lamp.status}
