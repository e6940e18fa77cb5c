# Sourced by the tools/*-venv.sh scripts: one Python virtual environment with exactly the pinned
# distributions (dependencies included), made once, reused only while it holds exactly those
# versions and nothing else (pip, setuptools and wheel, which a venv brings, aside) and the listed
# modules import; changing a pin makes it again. The caller sets:
#   name     the script's name, for messages
#   venv     the environment's directory
#   pins     an array of "distribution==version"
#   imports  the modules that must import, comma-separated ("django, psycopg2")
# and may define `extra_installed` (an extra check, status 0 when met) and `extra_make` (run after
# pip install). `pinned_venv` makes or reuses it and prints its python's path.

pinned_installed() {
    [ -x "$venv/bin/python" ] || return 1
    "$venv/bin/python" - "${pins[@]}" <<PY 2>/dev/null || return 1
import re, sys
from importlib.metadata import distributions
import $imports
norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()
want = {norm(pin.split("==")[0].split("[")[0]): pin.split("==")[1] for pin in sys.argv[1:]}
have = {norm(d.metadata["Name"]): d.version for d in distributions()}
for tool in ("pip", "setuptools", "wheel"):
    have.pop(tool, None)
sys.exit(have != want)
PY
    if declare -F extra_installed >/dev/null; then extra_installed; fi
}

pinned_venv() {
    if ! pinned_installed; then
        rm -rf "$venv"
        python3 -m venv "$venv" >&2
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "${pins[@]}" >&2
        local check
        check=$("$venv/bin/python" -m pip check 2>&1) || { echo "$name: the pins miss a dependency: $check" >&2; exit 1; }
        if declare -F extra_make >/dev/null; then extra_make; fi
        pinned_installed || { echo "$name: $venv does not hold exactly the pinned versions after pip install" >&2; exit 1; }
    fi
    echo "$(cd "$venv" && pwd)/bin/python"
}
