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


def test_parametric_shift_methods_name_their_parameter():
    s = spec(shift_method=["lagrange:3", "finite_volume:0", "finite_volume:02", "cubic"])
    assert [c.params["shift_method"] for c in s.cases()] == ["lagrange:3", "finite_volume:0", "finite_volume:2",
                                                             "cubic"]
    for bad, says in [("lagrange", "needs its order"), ("finite_volume", "needs its degree"),
                      ("lagrange:0", ">= 1"), ("finite_volume:-1", "whole number"), ("lagrange:x", "whole number"),
                      ("linear:2", "only lagrange, finite_volume"), ("lagrange:100", "below 100")]:
        with pytest.raises(SpecError, match=r"axes\.shift_method\[0\].*" + says):
            spec(shift_method=[bad])


def test_defect_delta_enters_every_case_only_when_set():
    plain = spec()
    assert "defect_delta" not in plain.cases()[0].params
    with_defect = SweepSpec.from_dict({"sweep": {"defect_delta": [0, "1/2"]}, "axes": BASE})
    assert with_defect.cases()[0].params["defect_delta"] == ["0", "1/2"]
    assert with_defect.cases()[0].key != plain.cases()[0].key
    for bad, says in [(["1"], "two exact numbers"), ([0, 0.5], r"defect_delta\[1\]"), (["1", "0"], "below hi")]:
        with pytest.raises(SpecError, match=says):
            SweepSpec.from_dict({"sweep": {"defect_delta": bad}, "axes": BASE})
