"""Operator factories for the sweep tests (``module:function`` entries of a spec)."""

from __future__ import annotations

import os
import pathlib
import signal
import threading
import time

from symequi.core.operator import Operator
from symequi.core.signal import Signal
from symequi.layers import ReLU


class _Killer(Operator):
    """Ends its process the moment it is applied (a worker that dies mid-case)."""

    def _apply(self, signal: Signal) -> Signal:
        os._exit(3)


class _Stuck(Operator):
    """Never returns, in C code no budget can interrupt (a lock acquired with no timeout)."""

    def _apply(self, signal: Signal) -> Signal:
        threading.Event().wait()
        raise AssertionError("unreachable")


class _Raises(Operator):
    def _apply(self, signal: Signal) -> Signal:
        raise RuntimeError("this layer is broken on purpose")


def killer() -> Operator:
    return _Killer()


def stuck_at_2(shift: str) -> Operator:
    """Stuck (``_Stuck``) for the case with shift 2, ReLU for every other case."""
    return _Stuck() if shift == "2" else ReLU()


def freezes_once() -> Operator:
    """The first time (no file at ``SYMEQUI_TEST_FREEZE_MARKER`` yet): write this process's id there
    and freeze the process (SIGSTOP), as a worker cut off from the cluster looks to the client; then ReLU."""
    marker = pathlib.Path(os.environ["SYMEQUI_TEST_FREEZE_MARKER"])
    if not marker.exists():
        marker.write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGSTOP)
    return ReLU()


def slow(padding: str | None = None) -> Operator:
    """ReLU, built slowly (once per case, ``SYMEQUI_TEST_SLOW_SECONDS`` each), so a sweep can be
    killed halfway; the run that resumes it sets no delay."""
    time.sleep(float(os.environ.get("SYMEQUI_TEST_SLOW_SECONDS", "0")))
    return ReLU()


def raises() -> Operator:
    return _Raises()
