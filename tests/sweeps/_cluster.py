"""Helpers of the sweep tests that start Dask clusters."""

from __future__ import annotations

import os
import pathlib
import threading
from typing import Any, Callable

ROOT = pathlib.Path(__file__).resolve().parents[2]


def dask_env() -> dict[str, str]:
    """The environment of a scheduler or worker process: the tests' factories importable, and
    allowed-failures = 1 as the LocalCluster path sets it (a case that kills its worker is given
    up after two deaths, not four: each death costs a worker restart)."""
    return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}


def within(seconds: float, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, failing the test (instead of hanging the suite) when it takes longer
    than ``seconds``: it runs in a daemon thread, left behind on failure."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as err:  # noqa: BLE001 - handed to the test's thread
            box["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{fn.__name__} did not end within {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]
