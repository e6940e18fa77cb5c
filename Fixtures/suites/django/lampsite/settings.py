"""Settings of the django suite's project: one app (lamps), no middleware, the database from
DATABASE_URL (postgresql://user[:password]@host:port/db, or ...@/db?host=/dir&port=N).

Every connection is named `app` (the live server's and the view's); conftest.py names the test's
own connection after the test."""
import os
from urllib.parse import parse_qsl, unquote, urlsplit


def database_from_url(url):
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.pop("host", None) or parts.hostname or "",
        "PORT": query.pop("port", None) or str(parts.port or ""),
        "OPTIONS": {**query, "application_name": "app"},
    }


DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
INSTALLED_APPS = ["lamps"]
MIDDLEWARE = []
ROOT_URLCONF = "lampsite.urls"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
SECRET_KEY = "lampctl-suite-not-secret"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
STATIC_URL = "static/"  # the live server serves static files under it
