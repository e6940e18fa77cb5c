"""The seed's stale read, for real: the test's AsyncSession holds a lamp it has read as 'off'; the
app switches it on and commits through its own session; how the test reads it again decides
whether it sees 'on'. Each test asserts the truth (the lamp is on); a test that reads a stale
value is an xfail(strict=True), so the suite passes. The comment above each test names what
`lampctl watch` reports for it."""
import pytest
from sqlalchemy import insert, select

from app import Lamp

STALE = pytest.mark.xfail(strict=True, raises=AssertionError, reason="stale read: the test still sees 'off'")


# The helpers' own checks raise RuntimeError: an xfail(raises=AssertionError) cannot hide them.
def check(ok, what):
    if not ok:
        raise RuntimeError(what)


async def lamp_read_as_off(session):
    """The reference flow's steps 1-2: a new lamp, committed, refreshed (the test's connection has
    received its status 'off'; the refresh's transaction stays open)."""
    lamp = Lamp()
    session.add(lamp)
    await session.commit()
    await session.refresh(lamp)
    check(lamp.status == "off", f"the new lamp reads {lamp.status!r}")
    return lamp


async def switch_on(client, lamp_id):
    response = await client.post(f"/lamps/{lamp_id}/switch-on")
    check(response.json() == {"id": lamp_id, "status": "on"}, f"the app answered {response.text}")


# lampctl-watch: nothing newer
@STALE
async def test_get_after_switch_on(session, client):
    lamp = await lamp_read_as_off(session)
    await switch_on(client, lamp.id)
    # An identity-map hit: no SQL, the object in memory still says 'off'.
    assert (await session.get(Lamp, lamp.id)).status == "on"


# lampctl-watch: re-read fresh
@STALE
async def test_select_after_switch_on(session, client):
    lamp = await lamp_read_as_off(session)
    await switch_on(client, lamp.id)
    # The SELECT returns 'on', but the identity map keeps the loaded 'off'.
    again = (await session.execute(select(Lamp).where(Lamp.id == lamp.id))).scalar_one()
    assert again.status == "on"


# lampctl-watch: re-read fresh
async def test_refresh_after_switch_on(session, client):
    lamp = await lamp_read_as_off(session)
    await switch_on(client, lamp.id)
    await session.refresh(lamp)
    assert lamp.status == "on"


# lampctl-watch: re-read fresh
async def test_expire_after_switch_on(session, client):
    lamp = await lamp_read_as_off(session)
    await switch_on(client, lamp.id)
    lamp_id = lamp.id  # expire() expires the id too
    session.expire(lamp)
    # The SELECT's row fills the expired attributes. (AsyncSession.get() would return the expired
    # object without SQL, and reading .status would then raise MissingGreenlet.)
    again = (await session.execute(select(Lamp).where(Lamp.id == lamp_id))).scalar_one()
    assert again.status == "on"


# lampctl-watch: re-read fresh
async def test_populate_existing_after_switch_on(session, client):
    lamp = await lamp_read_as_off(session)
    await switch_on(client, lamp.id)
    query = select(Lamp).where(Lamp.id == lamp.id).execution_options(populate_existing=True)
    assert (await session.execute(query)).scalar_one().status == "on"


# lampctl-watch: re-read in an old snapshot
@STALE
@pytest.mark.isolation_level("REPEATABLE READ")
async def test_refresh_in_repeatable_read(session, client):
    lamp = await lamp_read_as_off(session)  # its refresh began the transaction: the snapshot
    await switch_on(client, lamp.id)
    # The refresh's SELECT runs in the same transaction, so it still sees the snapshot's 'off'.
    await session.refresh(lamp)
    assert lamp.status == "on"


# lampctl-watch: none
async def test_first_read_after_switch_on(session, client):
    # The row is inserted without an object: the test holds nothing and has received no status.
    lamp_id = (await session.execute(insert(Lamp).returning(Lamp.id))).scalar_one()
    await session.commit()
    await switch_on(client, lamp_id)
    assert (await session.get(Lamp, lamp_id)).status == "on"
