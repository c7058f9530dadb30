"""Sweep specs: a TOML file whose axes multiply into cases, validated before anything runs.

A spec has a ``[sweep]`` table of settings and an ``[axes]`` table of lists;
every combination of axis values is one case (one square to decide)::

    [sweep]
    budget = 10            # seconds per case (default 30)
    batch_size = 0         # cases per task; 0 chooses (tiny cases share a task)
    defect_delta = ["0", "1"]  # optional: also record each case's exact defect against a
                               # continuous translation delta in [0, 1] cells
                               # (symequi.sweeps.defect; `sweep report --plot` draws it)

    [axes]
    operator = ["conv(1, -2, 1) | relu", "maxpool(2, stride=1)"]   # required
    input_shape = [8, 9]                 # required: ints, or lists such as [1, 8]
    shift = ["1/4", "1/3", "1/2"]        # required: exact strings, or lists (one per axis)
    shift_method = ["linear", "fourier"] # default "integer"; "lagrange:3" (order 3),
                                         # "finite_volume:1" (degree 1) name their parameter
    boundary = ["periodic"]              # of the shift; default "periodic"
    padding = ["periodic", "zeros"]      # fills convolutions/pooling that set none
    stride = [1, 2]                      # likewise
    g_out = ["same"]                     # "same" (g itself), "identity" (invariance),
                                         # or "shift:<amount>" (same method and boundary)
    method = ["auto"]                    # the decider: auto, linear, compositional, smt, search

``operator`` values are layer-stack expressions (:mod:`symequi.sweeps.stack`)
or ``module:function`` factories (Python code you trust, like a test file: the
function is called with the case's values of the parameters it names, e.g.
``padding``, and returns a symequi operator).  Strings are never evaluated.

Every case has a stable key: the first 16 hex digits of the SHA-256 of its
parameters as canonical JSON, so a rerun finds what is done.

Example
-------
>>> spec = SweepSpec.from_dict({"axes": {"operator": ["relu"], "input_shape": [4],
...                                      "shift": ["1/2"], "shift_method": ["linear", "cubic"]}})
>>> [c.params["shift_method"] for c in spec.cases()]
['linear', 'cubic']
>>> len(spec.cases()[0].key)
16
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import pathlib
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import SymequiError
from ..core.exact import to_exact
from ..translations.base import METHODS
from ..core.texts import brief

__all__ = ["SweepSpec", "Case", "SpecError", "load_spec", "DECIDERS"]

#: The deciders a case may ask for.
DECIDERS = ("auto", "linear", "compositional", "smt", "search")
_SETTINGS = {"budget": 30, "batch_size": 0}
_AXES_DEFAULTS: dict[str, Any] = {"shift_method": "integer", "boundary": "periodic", "padding": None,
                                  "stride": None, "g_out": "same", "method": "auto"}
_REQUIRED = ("operator", "input_shape", "shift")
_FACTORY = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
#: At most this many cases in one spec (raise with ``[sweep] max_cases``).
MAX_CASES = 100_000


class SpecError(SymequiError, ValueError):
    """A sweep spec is malformed; the message names the key.

    >>> issubclass(SpecError, SymequiError)
    True
    """


@dataclass(frozen=True)
class Case:
    """One square of a sweep: plain parameters (JSON-ready) and its stable key.

    >>> Case({"operator": "relu"}).key == Case({"operator": "relu"}).key
    True
    """

    params: dict[str, Any]
    key: str = field(init=False)

    def __post_init__(self) -> None:
        canonical = json.dumps(self.params, sort_keys=True, separators=(",", ":"))
        object.__setattr__(self, "key", hashlib.sha256(canonical.encode()).hexdigest()[:16])


def _shape(value: Any, where: str) -> list[int]:
    dims = [value] if isinstance(value, int) and not isinstance(value, bool) else value
    if (not isinstance(dims, list) or not dims
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in dims)):
        raise SpecError(f"{brief(where, str)}={brief(value)} must be a positive int or a list of positive ints, e.g. 8 or [1, 8]")
    return list(dims)


def _exact_text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise SpecError(f"{brief(where, str)}={brief(value)} must be an exact number: an int or a string such as '1/3' "
                        "(TOML floats are not exact)")
    try:
        return str(to_exact(value, where))
    except SymequiError as err:
        raise SpecError(f"{brief(where, str)}: {brief(err, str)}") from None


def _shift(value: Any, where: str) -> str | list[str]:
    if isinstance(value, list):
        if not value:
            raise SpecError(f"{brief(where, str)} is an empty list; give one amount per axis")
        return [_exact_text(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return _exact_text(value, where)


def _choice(value: Any, where: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SpecError(f"{brief(where, str)}={brief(value)} must be one of {brief(', '.join(brief(item) for item in allowed), str)}")
    return str(value)


#: Shift methods that need a whole-number parameter, written ``method:p``.
_PARAMETRIC = {"lagrange": "order", "finite_volume": "degree"}


def _shift_method(value: Any, where: str) -> str:
    """A method of :data:`~symequi.translations.base.METHODS`; ``lagrange:p`` and
    ``finite_volume:p`` carry the order / degree ``p``."""
    name, colon, param = value.partition(":") if isinstance(value, str) else (value, "", "")
    if name in _PARAMETRIC:
        if not colon:
            raise SpecError(f"{brief(where, str)}={brief(value)} needs its {brief(_PARAMETRIC[name], str)}: write e.g. '{name}:3'")
        if not param.isdigit() or (name == "lagrange" and int(param) < 1) or len(param) > 2:
            raise SpecError(f"{brief(where, str)}={brief(value)}: the {brief(_PARAMETRIC[name], str)} after ':' must be a whole number "
                            f"{'>= 1' if name == 'lagrange' else '>= 0'} below 100, e.g. '{name}:3'")
        return f"{name}:{int(param)}"
    if colon:
        raise SpecError(f"{brief(where, str)}={brief(value)}: only {brief(', '.join(_PARAMETRIC), str)} take a ':<number>' parameter")
    return _choice(value, where, tuple(m for m in METHODS if m not in _PARAMETRIC))


def _g_out(value: Any, where: str) -> str:
    if value in ("same", "identity"):
        return str(value)
    if isinstance(value, str) and value.startswith("shift:"):
        return "shift:" + _exact_text(value[len("shift:"):], where)
    raise SpecError(f"{brief(where, str)}={brief(value)} must be 'same', 'identity' or 'shift:<amount>' such as 'shift:1/2'")


def _operator(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{brief(where, str)}={brief(value)} must be a layer-stack expression such as 'conv(1, -1) | relu' "
                        "or a 'module:function' factory")
    if not _FACTORY.match(value):
        from .stack import parse_stack  # checks the expression now, before anything runs

        try:
            parse_stack(value)
        except SymequiError as err:
            raise SpecError(f"{brief(where, str)}: {brief(err, str)}") from None
    return value


_CHECKS = {
    "operator": _operator,
    "input_shape": _shape,
    "shift": _shift,
    "shift_method": _shift_method,
    "boundary": lambda v, w: _choice(v, w, ("periodic", "zeros")),
    "padding": lambda v, w: _choice(v, w, ("zeros", "periodic", "reflect", "replicate", "valid")),
    "stride": lambda v, w: _shape(v, w)[0] if isinstance(v, int) else _shape(v, w),
    "g_out": _g_out,
    "method": lambda v, w: _choice(v, w, DECIDERS),
}


@dataclass(frozen=True)
class SweepSpec:
    """A validated spec: settings and axes (see the module docstring).

    >>> SweepSpec.from_dict({"axes": {"operator": ["relu"], "input_shape": [4], "shift": [1]}}).budget
    30.0
    """

    axes: dict[str, list[Any]]
    budget: float = 30
    batch_size: int = 0
    max_cases: int = MAX_CASES
    defect_delta: list[str] | None = None

    @classmethod
    def from_dict(cls, data: Any) -> "SweepSpec":
        """Validate a spec given as nested dicts (as TOML reads it); errors name the key."""
        if not isinstance(data, dict):
            raise SpecError(f"a sweep spec is a table with [sweep] and [axes], not {type(data).__name__}")
        unknown = sorted(set(data) - {"sweep", "axes"})
        if unknown:
            raise SpecError(f"unknown table(s) {brief(unknown, str)}; a spec has [sweep] and [axes]")
        settings = data.get("sweep", {})
        if not isinstance(settings, dict):
            raise SpecError("[sweep] must be a table of settings")
        bad = sorted(set(settings) - set(_SETTINGS) - {"max_cases", "name", "defect_delta"})
        if bad:
            raise SpecError(f"unknown setting(s) sweep.{brief(', sweep.'.join(bad), str)}; known: budget, batch_size, "
                            "max_cases, name, defect_delta")
        defect = settings.get("defect_delta")
        if defect is not None:
            if not isinstance(defect, list) or len(defect) != 2:
                raise SpecError(f"sweep.defect_delta={brief(defect)} must be two exact numbers [lo, hi] (cells), "
                                "e.g. [\"0\", \"1\"]")
            defect = [_exact_text(v, f"sweep.defect_delta[{i}]") for i, v in enumerate(defect)]
            if not to_exact(defect[0], "lo") < to_exact(defect[1], "hi"):
                raise SpecError(f"sweep.defect_delta={brief(defect)}: lo must be below hi")
        budget = settings.get("budget", _SETTINGS["budget"])
        if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not 0 < budget < math.inf:
            raise SpecError(f"sweep.budget={brief(budget)} must be a positive number of seconds")
        batch = settings.get("batch_size", 0)
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 0:
            raise SpecError(f"sweep.batch_size={brief(batch)} must be an int >= 0 (0 chooses)")
        max_cases = settings.get("max_cases", MAX_CASES)
        if isinstance(max_cases, bool) or not isinstance(max_cases, int) or max_cases < 1:
            raise SpecError(f"sweep.max_cases={brief(max_cases)} must be an int >= 1")
        axes_in = data.get("axes")
        if not isinstance(axes_in, dict):
            raise SpecError("the spec needs an [axes] table with operator, input_shape and shift")
        unknown = sorted(set(axes_in) - set(_CHECKS))
        if unknown:
            raise SpecError(f"unknown axis/axes axes.{brief(', axes.'.join(unknown), str)}; known: {brief(', '.join(_CHECKS), str)}")
        missing = [k for k in _REQUIRED if k not in axes_in]
        if missing:
            raise SpecError(f"axes.{brief(missing[0], str)} is required (a list of values)")
        axes: dict[str, list[Any]] = {}
        for name, check in _CHECKS.items():
            values = axes_in.get(name, [_AXES_DEFAULTS.get(name)])
            if not isinstance(values, list) or not values:
                raise SpecError(f"axes.{name} must be a non-empty list, e.g. {name} = [...]")
            checked = [None if v is None else check(v, f"axes.{name}[{i}]") for i, v in enumerate(values)]
            if len({json.dumps(v, sort_keys=True) for v in checked}) != len(checked):
                raise SpecError(f"axes.{name} lists a value twice")
            axes[name] = checked
        count = math.prod(len(v) for v in axes.values())
        if count > max_cases:
            raise SpecError(f"the axes multiply into {brief(count, str)} cases, more than sweep.max_cases={brief(max_cases, str)}; "
                            "raise sweep.max_cases if you mean it")
        return cls(axes, float(budget), batch, max_cases, defect)

    def cases(self) -> list[Case]:
        """Every combination of axis values, each with the per-case budget (and the defect interval
        when ``defect_delta`` is set)."""
        names = list(self.axes)
        extra: dict[str, Any] = {"budget": self.budget}
        if self.defect_delta is not None:
            extra["defect_delta"] = list(self.defect_delta)
        return [Case({**dict(zip(names, combo)), **extra})
                for combo in itertools.product(*(self.axes[n] for n in names))]


def load_spec(path: str | pathlib.Path) -> SweepSpec:
    """Read and validate a TOML spec file (parsed, never executed).

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
    ...     _ = f.write('[axes]\\noperator = ["relu"]\\ninput_shape = [4]\\nshift = [1]\\n')
    >>> len(load_spec(f.name).cases()); os.unlink(f.name)
    1
    """
    file = pathlib.Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as err:
        raise SpecError(f"spec={repr(brief(file, str))} cannot be read: {brief(err.strerror, str)}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"spec={repr(brief(file, str))} is not valid TOML: {brief(err, str)}") from None
    return SweepSpec.from_dict(data)
