"""``import symequi`` loads no heavy optional machinery; it loads on first use (symequi/_lazy.py)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("z3", "hypothesis", "matplotlib", "dask", "distributed", "tqdm", "sqlite3")


def _modules_after(code: str) -> dict[str, bool]:
    script = f"import sys\n{code}\nimport json\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_symequi_loads_none_of_the_heavy_modules():
    assert _modules_after("import symequi") == dict.fromkeys(HEAVY, False)


def test_they_load_when_first_used():
    loaded = _modules_after("import symequi as se\nse.decide_smt\nse.strategies.signals\nse.sweep")
    assert loaded["z3"] and loaded["hypothesis"] and loaded["sqlite3"]
    assert not loaded["dask"]  # Dask only when a sweep runs on a cluster
