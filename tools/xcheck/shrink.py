"""Shrinking a random scenario file on which lampctl and a real ORM disagree, for the random
differential checks (tools/crosscheck-fuzz.py, xcheck.django_fuzz)."""


def minimize(text, run, disagrees, candidates):
    """Drops lines, then words, while the case still disagrees. `run(text)` gives the case's pair
    of JSON objects (None when that text is no candidate), `disagrees(pair)` whether they differ,
    `candidates(lines, i)` the files (lists of lines) to try in place of line i, from the last line
    up. The minimal file and its pair; None when `text` itself does not disagree."""
    lines = text.splitlines()
    best = run(text)
    if best is None or not disagrees(best):
        return None
    changed = True
    while changed:
        changed = False
        for i in range(len(lines) - 1, -1, -1):
            for candidate in candidates(lines, i):
                result = run("\n".join(candidate) + "\n")
                if result is not None and disagrees(result):
                    lines, best, changed = candidate, result, True
                    break
            if changed:
                break
    return "\n".join(lines) + "\n", best
