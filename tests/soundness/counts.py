"""Counters the soundness modules fill, printed by ``tests/conftest.py`` at the end of every run.

``SQUARES["squares"]``: random squares whose verdict was re-checked independently (and
the per-kind counts); ``INTEGRALS``: cell values compared with mpmath at 50 digits
(``checked``), convergent integrals refused because certification failed (``refused``),
divergent integrals refused as they must be (``divergent``); the ``closed ...`` keys
are the same for closed forms in a symbolic cell index.
"""

from collections import Counter

SQUARES: Counter = Counter()
INTEGRALS: Counter = Counter()


def summary(squares: Counter, integrals: Counter) -> str | None:
    """The one-line summary of these counters, or None when no soundness test ran.

    >>> summary(Counter(), Counter()) is None
    True
    >>> summary(Counter(squares=2), Counter(checked=3, refused=1))
    'soundness: squares checked 2, integrals checked 3 (refused 1, divergent 0), closed forms checked 0 (refused 0, divergent 0)'
    """
    if not squares and not integrals:
        return None
    i = integrals
    return (f"soundness: squares checked {squares['squares']}, integrals checked {i['checked']} "
            f"(refused {i['refused']}, divergent {i['divergent']}), closed forms checked {i['closed checked']} "
            f"(refused {i['closed refused']}, divergent {i['closed divergent']})")


def details(squares: Counter, integrals: Counter) -> str:
    """Every counter, for the line below the summary.

    >>> details(Counter(squares=2), Counter(checked=3))
    '  checked: 3, squares: 2'
    """
    return "  " + ", ".join(f"{k}: {v}" for k, v in sorted({**squares, **integrals}.items()))
