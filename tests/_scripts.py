"""Writing small proof scripts into a folder, shared by the claims, CLI and runner tests."""

import textwrap

HEADER = """\
from symequi.report.claims import claim
from symequi.core.signal import Signal
from symequi.core.verdict import Counterexample, Proved, Undecided
"""


def write_scripts(folder, scripts):
    """Write each ``{file name: body}`` (dedented, after HEADER) into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in scripts.items():
        (folder / name).write_text(HEADER + textwrap.dedent(body))
    return folder
