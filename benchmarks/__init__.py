"""Side-by-side benchmarks: symequi against baselines measured in the same run.

Each ``benchmarks/bench_*.py`` module defines ``cases(quick: bool) -> list[dict]``;
every dict has the keys ``case``, ``symequi_s``, ``baseline``, ``baseline_s``,
``ratio`` (symequi_s / baseline_s) and ``target`` (the target in words).
Run ``python -m benchmarks`` (``--json`` for machine-readable output,
``--quick`` for small sizes, ``-k PATTERN`` to select modules).
"""
