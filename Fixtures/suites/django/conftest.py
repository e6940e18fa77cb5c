"""Fixtures of the django suite: who is who on the wire.

The settings name every connection `app`: the live server's request threads open their own
connections from the shared settings. The pytest thread's connection (the test body, the test
client's view, the db fixtures' BEGIN/ROLLBACK or TRUNCATE) is reopened for each test with the
test function's name in its startup; creating and dropping the test database goes by `suite-setup`."""
import pytest
from django.conf import settings
from django.db import connection


def name_this_threads_connection(name):
    # Only this thread's wrapper gets the copy: the settings dict itself is shared with the live
    # server's threads. The next query connects afresh, with the name.
    shared = settings.DATABASES["default"]
    connection.close()
    connection.settings_dict = {**shared, "OPTIONS": {**shared["OPTIONS"], "application_name": name}}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    name_this_threads_connection("suite-setup")  # runs before the test database is created


@pytest.fixture(scope="session", autouse=True)
def suite_setup_named_at_end(django_db_setup):
    yield
    name_this_threads_connection("suite-setup")  # runs before the test database is dropped


@pytest.fixture(autouse=True)
def test_connection_named(request):
    # Set up before the db fixtures (it does not depend on them), so their BEGIN is on this name.
    name_this_threads_connection(request.node.originalname)
