"""Test configuration: Hypothesis profiles.

CI (``CI`` set in the environment) runs property tests derandomized, so a run is
reproducible; a failure prints the minimal exact witness and the blob to replay it.
"""

import os

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


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001 - pytest's hook signature
    """Print the soundness counts (tests/soundness/counts.py) in every run's summary, -q too."""
    from tests.soundness import counts

    line = counts.summary(counts.SQUARES, counts.INTEGRALS)
    if line is not None:
        terminalreporter.write_line(line)
        terminalreporter.write_line(counts.details(counts.SQUARES, counts.INTEGRALS))
