"""The seed's application, synchronous: FastAPI sync endpoints + SQLAlchemy 2.x Session + psycopg2.

`POST /lamps/{id}/switch-on` loads the lamp through the application's own Session (its own engine,
so its own connection, named `app`), sets it 'on' and commits. `POST /lamps/{id}/switch-on-flush-only`
is the same with a bug: it flushes the UPDATE and forgets to commit.
"""
import os

from fastapi import Depends, FastAPI
from sqlalchemy import Text, create_engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


def psycopg2_url():
    """DATABASE_URL (postgresql://user[:password]@host:port/db, or ...@/db?host=/dir&port=N) for psycopg2."""
    return make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql+psycopg2")


class Base(DeclarativeBase):
    pass


class Lamp(Base):
    __tablename__ = "sync_lamps"
    id: Mapped[int] = mapped_column(primary_key=True)
    # A client-side default: an INSERT sends 'off' and returns only the id.
    status: Mapped[str] = mapped_column(Text, default="off", server_default="off")


engine = create_engine(psycopg2_url(), connect_args={"application_name": "app"})
Sessions = sessionmaker(engine, expire_on_commit=False)


def get_db():
    with Sessions() as session:
        yield session


app = FastAPI()


@app.post("/lamps/{lamp_id}/switch-on")
def switch_on(lamp_id: int, db: Session = Depends(get_db)):
    lamp = db.get(Lamp, lamp_id)
    lamp.status = "on"
    db.commit()
    return {"id": lamp.id, "status": lamp.status}


@app.post("/lamps/{lamp_id}/switch-on-flush-only")
def switch_on_flush_only(lamp_id: int, db: Session = Depends(get_db)):
    lamp = db.get(Lamp, lamp_id)
    lamp.status = "on"
    db.flush()  # the bug: no commit
    return {"id": lamp.id, "status": lamp.status}
