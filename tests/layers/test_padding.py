"""Boundary rules (symequi/layers/padding.py) against numpy's ``np.pad``.

``np.pad`` of the index vector ``arange(n)`` (modes constant/wrap/reflect/edge)
says which input index each padded position reads: an independent reference.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symequi.core.errors import InvalidArgumentError
from symequi.layers.padding import (
    PADDINGS,
    check_padding,
    extend_indices,
    pad_sources,
    padding_convention,
    source_index,
)

NP_MODE = {"zeros": "constant", "periodic": "wrap", "reflect": "reflect", "replicate": "edge"}


def numpy_indices(n: int, left: int, right: int, padding: str) -> list:
    kwargs = {"constant_values": -1} if padding == "zeros" else {}
    padded = np.pad(np.arange(n), (left, right), mode=NP_MODE[padding], **kwargs)
    return [None if v == -1 else int(v) for v in padded]


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 9), st.integers(0, 12), st.integers(0, 12),
       st.sampled_from(["zeros", "periodic", "replicate"]))
def test_extend_indices_matches_numpy_pad(n, left, right, padding):
    assert extend_indices(n, left, right, padding) == numpy_indices(n, left, right, padding)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1), st.integers(0, n - 1))))
def test_reflect_within_reach_matches_numpy_pad(case):
    n, left, right = case
    assert extend_indices(n, left, right, "reflect") == numpy_indices(n, left, right, "reflect")


@pytest.mark.parametrize("n, left, right", [(3, 3, 0), (3, 0, 3), (1, 1, 0), (5, 2, 7)])
def test_reflect_beyond_n_minus_1_is_refused_naming_the_layer(n, left, right):
    with pytest.raises(InvalidArgumentError, match=rf"at most n - 1 = {n - 1}; for Conv\(3\)"):
        pad_sources(n, left, right, "reflect", what="Conv(3)")


def test_valid_reads_nothing_outside():
    assert pad_sources(4, 0, 0, "valid") == ([], [])
    assert extend_indices(4, 0, 0, "valid") == [0, 1, 2, 3]
    with pytest.raises(InvalidArgumentError, match="padding='valid' reads no entries outside.*MaxPool"):
        pad_sources(4, 1, 0, "valid", what="MaxPool")
    with pytest.raises(InvalidArgumentError, match="does not read entries outside"):
        source_index(-1, 4, "valid")


def test_source_index_by_hand():
    # n = 4: b_{-2} and b_5 under each rule
    assert [source_index(-2, 4, p) for p in ("zeros", "periodic", "reflect", "replicate")] == [None, 2, 2, 0]
    assert [source_index(5, 4, p) for p in ("zeros", "periodic", "reflect", "replicate")] == [None, 1, 1, 3]
    assert all(source_index(i, 4, p) == i for i in range(4) for p in PADDINGS)


@pytest.mark.parametrize("bad, hint", [
    ("same", "padding='zeros'.*origin=-\\(\\(K - 1\\) // 2\\)"),
    ("circular", "called 'periodic'"),
    ("wrap", "called 'periodic'"),
    ("edge", "called 'replicate'"),
    ("constant", "called 'zeros'"),
    ("zero", "called 'zeros'"),
    (0, "called 'zeros'"),
    ("Periodic", "is not one of 'zeros', 'periodic'"),
    (None, "is not one of"),
])
def test_check_padding_names_the_fix(bad, hint):
    with pytest.raises(InvalidArgumentError, match=hint):
        check_padding(bad)


def test_check_padding_respects_allowed_and_name():
    assert [check_padding(p) for p in PADDINGS] == list(PADDINGS)
    with pytest.raises(InvalidArgumentError, match="boundary='reflect' is not one of 'periodic', 'zeros'"):
        check_padding("reflect", allowed=("periodic", "zeros"), name="boundary")


def test_every_padding_has_a_convention_in_words():
    texts = {p: padding_convention(p) for p in PADDINGS}
    assert "integer shifts commute exactly" in texts["periodic"]
    for p in ("zeros", "reflect", "replicate", "valid"):
        assert "only away from the boundary" in texts[p]
    assert len(set(texts.values())) == len(PADDINGS)
    with pytest.raises(InvalidArgumentError):
        padding_convention("same")
