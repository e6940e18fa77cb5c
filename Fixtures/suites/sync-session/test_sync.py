"""The seed's stale read with a synchronous Session and psycopg2 (async is not the cause): the
test's Session holds a lamp it has read as 'off'; the app switches it on and commits through its
own Session; how the test reads it again decides whether it sees 'on'. Plus the shared-session
trap: the app gets the test's Session, only flushes, and the test passes on a value that is
never committed. Each test asserts the truth as the test sees it (the lamp is on); a test that
reads a stale value is an xfail(strict=True), so the suite passes. The comment above each test
names what `lampctl watch` reports for it."""
import pytest
from sqlalchemy import insert, select

from sync_app import Lamp, app, get_db

STALE = pytest.mark.xfail(strict=True, raises=AssertionError, reason="stale read: the test still sees 'off'")


# The helpers' own checks raise RuntimeError: an xfail(raises=AssertionError) cannot hide them.
def check(ok, what):
    if not ok:
        raise RuntimeError(what)


def lamp_read_as_off(session):
    """The reference flow's steps 1-2: a new lamp, committed, refreshed (the test's connection has
    received its status 'off'; the refresh's transaction stays open)."""
    lamp = Lamp()
    session.add(lamp)
    session.commit()
    session.refresh(lamp)
    check(lamp.status == "off", f"the new lamp reads {lamp.status!r}")
    return lamp


def switch_on(client, lamp_id, path="switch-on"):
    response = client.post(f"/lamps/{lamp_id}/{path}")
    check(response.json() == {"id": lamp_id, "status": "on"}, f"the app answered {response.text}")


# lampctl-watch: nothing newer
@STALE
def test_get_after_switch_on(session, client):
    lamp = lamp_read_as_off(session)
    switch_on(client, lamp.id)
    # An identity-map hit: no SQL, the object in memory still says 'off'.
    assert session.get(Lamp, lamp.id).status == "on"


# lampctl-watch: re-read fresh
@STALE
def test_select_after_switch_on(session, client):
    lamp = lamp_read_as_off(session)
    switch_on(client, lamp.id)
    # The SELECT returns 'on', but the identity map keeps the loaded 'off'.
    assert session.execute(select(Lamp).where(Lamp.id == lamp.id)).scalar_one().status == "on"


# lampctl-watch: re-read fresh
def test_refresh_after_switch_on(session, client):
    lamp = lamp_read_as_off(session)
    switch_on(client, lamp.id)
    session.refresh(lamp)
    assert lamp.status == "on"


# lampctl-watch: re-read fresh
def test_expire_after_switch_on(session, client):
    lamp = lamp_read_as_off(session)
    switch_on(client, lamp.id)
    session.expire(lamp)
    # A sync Session loads the expired attributes with a SELECT when one is read.
    assert lamp.status == "on"


# lampctl-watch: re-read fresh
def test_populate_existing_after_switch_on(session, client):
    lamp = lamp_read_as_off(session)
    switch_on(client, lamp.id)
    query = select(Lamp).where(Lamp.id == lamp.id).execution_options(populate_existing=True)
    assert session.execute(query).scalar_one().status == "on"


# lampctl-watch: re-read in an old snapshot
@STALE
@pytest.mark.isolation_level("REPEATABLE READ")
def test_refresh_in_repeatable_read(session, client):
    lamp = lamp_read_as_off(session)  # its refresh began the transaction: the snapshot
    switch_on(client, lamp.id)
    # The refresh's SELECT runs in the same transaction, so it still sees the snapshot's 'off'.
    session.refresh(lamp)
    assert lamp.status == "on"


# lampctl-watch: none
def test_first_read_after_switch_on(session, client):
    # The row is inserted without an object: the test holds nothing and has received no status.
    lamp_id = session.execute(insert(Lamp).returning(Lamp.id)).scalar_one()
    session.commit()
    switch_on(client, lamp_id)
    assert session.get(Lamp, lamp_id).status == "on"


# lampctl-watch: never committed
def test_shared_session_flush_only(session, client):
    # A false pass: the app gets the test's Session (one identity map, one connection) and only
    # flushes; the test reads the flushed 'on' in the same open transaction, rolled back at teardown.
    lamp = lamp_read_as_off(session)
    app.dependency_overrides[get_db] = lambda: session
    try:
        switch_on(client, lamp.id, "switch-on-flush-only")
    finally:
        app.dependency_overrides.clear()
    session.refresh(lamp)
    assert lamp.status == "on"
