"""The cross-check runner: runs lampctl scenario files with a real ORM against a real PostgreSQL
and prints one JSON line per case, as `lampctl scenario --json` does, for diffing
(tools/crosscheck-django.sh). core: settings, matrix, schema, JSON lines; scenario: the grammar;
monitor: blocked steps; verdict: the JSON line; django_orm: the Django side (lampapp: its app);
django_fuzz: the random differential check (python -m xcheck django-fuzz)."""
