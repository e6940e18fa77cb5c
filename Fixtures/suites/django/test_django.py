"""The two-connection read with Django (no identity map): the test holds a lamp it has read as
'off'; the view switches it on through the live server, on a connection of its own, and the
UPDATE commits at once (autocommit); the test sees 'on' only if it reads the row again. With
TestCase-style `db` and the test client, the view runs on the test's own connection inside the
test's transaction instead. Each test asserts the truth (the lamp is on); a test that reads a
stale value is an xfail(strict=True), so the suite passes. The comment above each test names
what `lampctl watch` reports for it."""
import urllib.request

import pytest

from lamps.models import Lamp


# The helpers' own checks raise RuntimeError: an xfail(raises=AssertionError) cannot hide them.
def check(ok, what):
    if not ok:
        raise RuntimeError(what)


def lamp_read_as_off():
    """A new lamp (INSERT ... RETURNING id, autocommitted), then read (the test's connection has
    received its status 'off')."""
    lamp = Lamp.objects.create()
    lamp.refresh_from_db()
    check(lamp.status == "off", f"the new lamp reads {lamp.status!r}")
    return lamp


def switch_on_live(live_server, lamp_id):
    request = urllib.request.Request(f"{live_server.url}/lamps/{lamp_id}/switch-on", method="POST")
    with urllib.request.urlopen(request) as response:
        body = response.read()
    check(body == b'{"id": %d, "status": "on"}' % lamp_id, f"the view answered {body!r}")


# lampctl-watch: nothing newer
@pytest.mark.xfail(strict=True, raises=AssertionError, reason="stale read: the instance still says 'off'")
def test_kept_instance(live_server, transactional_db):
    lamp = lamp_read_as_off()
    switch_on_live(live_server, lamp.id)
    assert lamp.status == "on"  # no SQL: the instance is what was read before


# lampctl-watch: re-read fresh
def test_refresh_from_db(live_server, transactional_db):
    lamp = lamp_read_as_off()
    switch_on_live(live_server, lamp.id)
    lamp.refresh_from_db()
    assert lamp.status == "on"


# lampctl-watch: re-read fresh
def test_get_again(live_server, transactional_db):
    lamp = lamp_read_as_off()
    switch_on_live(live_server, lamp.id)
    assert Lamp.objects.get(pk=lamp.id).status == "on"


# lampctl-watch: none
def test_client_in_test_transaction(db, client):
    # The view runs on the test's own connection, inside the test's transaction (rolled back at
    # teardown): no other connection commits anything.
    lamp = lamp_read_as_off()
    assert client.post(f"/lamps/{lamp.id}/switch-on").json() == {"id": lamp.id, "status": "on"}
    lamp.refresh_from_db()
    assert lamp.status == "on"
