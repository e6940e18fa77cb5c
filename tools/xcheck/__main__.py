"""`python -m xcheck django URL [...] FILE...` (PYTHONPATH=tools): see xcheck.core;
`python -m xcheck django-fuzz [...]`: the random differential check, see xcheck.django_fuzz."""
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["django-fuzz"]:
        from .django_fuzz import main as fuzz
        sys.exit(fuzz(sys.argv[2:]))
    from .core import main
    main(sys.argv[1:])
