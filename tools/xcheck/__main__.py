"""`python -m xcheck django URL [...] FILE...` (PYTHONPATH=tools): see xcheck.core."""
import sys

from .core import main

if __name__ == "__main__":
    main(sys.argv[1:])
