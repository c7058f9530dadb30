"""Test configuration: Hypothesis profiles, and the soundness counts in the summary.

CI (``CI`` set in the environment) runs property tests derandomized, so a run is
reproducible; a failure prints the minimal exact witness and the blob to replay it.
"""

import gc
import os
import signal

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, print_blob=True, database=None)  # doctests that call find() stay reproducible
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_sessionfinish(session, exitstatus):  # noqa: ARG001 - pytest's hook signature
    """On a pytest-xdist worker, hand the soundness counts to the controller (``workeroutput``)."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from tests.soundness import counts

        workeroutput["soundness"] = {"squares": dict(counts.SQUARES), "integrals": dict(counts.INTEGRALS)}


def pytest_collection_finish(session):  # noqa: ARG001 - pytest's hook signature
    """Move what collection built (modules, test items, sympy's caches) out of the garbage
    collector's reach: the suite creates millions of sympy objects, and every full collection
    would scan these again (about 15 s of a run)."""
    gc.collect()
    gc.freeze()


def pytest_configure(config):
    """Register the controller-side hook only when pytest-xdist is loaded (it defines the hook spec).

    A shell without job control starts a background command (``pytest &``, some CI runners) with
    SIGINT ignored, and every process started from it inherits that, so the Ctrl-C tests would see
    no KeyboardInterrupt.  Those tests check what a terminal's Ctrl-C does: give this process (and so
    the subprocesses it starts, which get the default again at ``exec``) Python's usual handler."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_WorkerCounts(), "symequi-soundness-counts")


class _WorkerCounts:
    @staticmethod
    def pytest_testnodedown(node, error):  # noqa: ARG004 - pytest-xdist's hook signature
        """Add a finished worker's soundness counts to the controller's counters."""
        from tests.soundness import counts

        got = getattr(node, "workeroutput", {}).get("soundness")
        if got:
            counts.SQUARES.update(got["squares"])
            counts.INTEGRALS.update(got["integrals"])


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001 - pytest's hook signature
    """Print the soundness counts (tests/soundness/counts.py) in every run's summary, -q too (under
    pytest-xdist, the sum over the workers)."""
    from tests.soundness import counts

    line = counts.summary(counts.SQUARES, counts.INTEGRALS)
    if line is not None:
        terminalreporter.write_line(line)
        terminalreporter.write_line(counts.details(counts.SQUARES, counts.INTEGRALS))
