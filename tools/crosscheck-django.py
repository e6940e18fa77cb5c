#!/usr/bin/env python3
"""Runs the Django cross-check (tools/xcheck) without PYTHONPATH: crosscheck-django.py URL [...] FILE...
is `python -m xcheck django URL [...] FILE...`; run it with the python of tools/django-venv.sh."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xcheck.core import main  # noqa: E402

if __name__ == "__main__":
    main(["django", *sys.argv[1:]])
