"""`python -m xcheck django URL [...] FILE...`, `python -m xcheck sqlalchemy URL [...] FILE...`
(PYTHONPATH=tools): see xcheck.core and xcheck.sqlalchemy_orm;
`python -m xcheck django-fuzz [...]`: the random differential check, see xcheck.django_fuzz."""
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["sqlalchemy"]:  # a command line of its own (tools/crosscheck.py's)
        from .sqlalchemy_orm import run
        run(sys.argv[2:], prog="python -m xcheck sqlalchemy")
    elif sys.argv[1:2] == ["django-fuzz"]:
        from .django_fuzz import main as fuzz
        sys.exit(fuzz(sys.argv[2:]))
    else:
        from .core import main
        main(sys.argv[1:])
