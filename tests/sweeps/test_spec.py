"""Sweep specs: errors name the key; axes multiply; case keys are stable."""

from __future__ import annotations

import pytest

from symequi.sweeps.spec import SpecError, SweepSpec, load_spec

BASE = {"operator": ["relu"], "input_shape": [4], "shift": ["1"]}


def spec(**axes):
    return SweepSpec.from_dict({"axes": {**BASE, **axes}})


def test_axes_multiply_into_cases_with_stable_keys():
    s = spec(shift=["1", "1/2", "1/3"], padding=["zeros", "periodic"])
    cases = s.cases()
    assert len(cases) == 6
    assert len({c.key for c in cases}) == 6
    assert [c.key for c in cases] == [c.key for c in spec(shift=["1", "1/2", "1/3"], padding=["zeros", "periodic"]).cases()]
    assert {c.params["shift"] for c in cases} == {"1", "1/2", "1/3"}


@pytest.mark.parametrize("axes, key", [
    ({"operator": ["relu | nope"]}, "axes.operator[0]"),
    ({"shift": [0.5]}, "axes.shift[0]"),
    ({"shift": ["__import__('os')"]}, "axes.shift[0]"),
    ({"input_shape": [0]}, "axes.input_shape[0]"),
    ({"shift_method": ["bilinear"]}, "axes.shift_method[0]"),
    ({"g_out": ["mirror"]}, "axes.g_out[0]"),
    ({"method": ["guess"]}, "axes.method[0]"),
    ({"colour": ["red"]}, "axes.colour"),
    ({"shift": []}, "axes.shift"),
    ({"shift": ["1", "1"]}, "axes.shift"),
])
def test_bad_axes_are_refused_naming_the_key(axes, key):
    with pytest.raises(SpecError, match=key.replace("[", r"\[").replace("]", r"\]")):
        spec(**axes)


def test_settings_and_tables_are_checked(tmp_path):
    with pytest.raises(SpecError, match="sweep.budget"):
        SweepSpec.from_dict({"sweep": {"budget": -1}, "axes": BASE})
    with pytest.raises(SpecError, match="sweep.max_cases"):
        SweepSpec.from_dict({"sweep": {"max_cases": 2}, "axes": {**BASE, "shift": ["1", "2", "3"]}})
    with pytest.raises(SpecError, match="axes.input_shape is required"):
        SweepSpec.from_dict({"axes": {"operator": ["relu"], "shift": ["1"]}})
    bad = tmp_path / "bad.toml"
    bad.write_text("[axes\n")
    with pytest.raises(SpecError, match="not valid TOML"):
        load_spec(bad)
    with pytest.raises(SpecError, match="cannot be read"):
        load_spec(tmp_path / "missing.toml")
