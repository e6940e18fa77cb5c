"""The cross-check runner: runs lampctl scenario files with a real ORM against a real PostgreSQL
and prints one JSON line per case, as `lampctl scenario --json` does, for diffing
(tools/crosscheck-django.sh, tools/crosscheck.sh). core: settings, matrix, schema, JSON lines;
scenario: the grammar; monitor: blocked steps; verdict: the JSON line; django_orm, django_steps,
django_server: the Django side (lampapp: its app); django_fuzz: Django's random differential check
(python -m xcheck django-fuzz); sqlalchemy_orm, sqlalchemy_steps: the SQLAlchemy side
(python -m xcheck sqlalchemy, or tools/crosscheck.py; tools/crosscheck-fuzz.py is its random check)."""
