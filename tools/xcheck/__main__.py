"""`python -m xcheck django URL [...] FILE...` or `python -m xcheck sqlalchemy URL [...] FILE...`
(PYTHONPATH=tools): see xcheck.core and xcheck.sqlalchemy_orm."""
import sys

from .core import main

if __name__ == "__main__":
    if sys.argv[1:2] == ["sqlalchemy"]:  # a command line of its own (tools/crosscheck.py's)
        from .sqlalchemy_orm import run
        run(sys.argv[2:], prog="python -m xcheck sqlalchemy")
    else:
        main(sys.argv[1:])
