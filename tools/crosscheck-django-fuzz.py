#!/usr/bin/env python3
"""Runs the random Django differential check (tools/xcheck/django_fuzz.py) without PYTHONPATH:
crosscheck-django-fuzz.py [...] is `python -m xcheck django-fuzz [...]`; run it with the python of
tools/django-venv.sh."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xcheck.django_fuzz import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
