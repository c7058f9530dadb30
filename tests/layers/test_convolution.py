"""Convolution and Correlation against independent references.

* a small numpy implementation of ``torch.nn.functional.conv1d``/``conv2d``
  (``np.pad`` with mode constant/wrap/reflect/edge, then a sliding dot product
  with stride and dilation) on dyadic inputs, where float64 is exact;
* a hand-written Fraction formula for the paper's convolution (eq. 3);
* sympy symbols against the formula written out by hand.

Mapping to torch: ``Correlation(w, origin=o, padding=p, dilation=d)`` with a
non-valid padding is torch's conv on the input padded by ``-d*o`` entries on
the left and ``d*(o + K - 1)`` on the right (``F.pad`` then ``conv1d``), so the
output keeps the input length.  torch's ``padding='same'`` pads
``left = d*(K-1)//2`` (``total//2``), so it is ``origin=-((K-1)//2)`` whenever
``d*(K-1)//2`` is a multiple of ``d`` (``d == 1``, or ``K`` odd); e.g. ``K=4``
gives ``origin=-1`` (one zero on the left, two on the right).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import symequi as se
from symequi.layers.convolution import Convolution, Correlation

NP_MODE = {"zeros": "constant", "periodic": "wrap", "reflect": "reflect", "replicate": "edge"}

dyadic = st.builds(lambda n, k: Fraction(n, 2**k), st.integers(-8, 8), st.integers(0, 3))
rational = st.fractions(min_value=-5, max_value=5, max_denominator=12)


def as_fractions(array: np.ndarray) -> list:
    return np.vectorize(lambda v: Fraction(float(v)), otypes=[object])(array).tolist()


def to_np(values) -> np.ndarray:
    return np.array(values, dtype=object).astype(np.float64)


# --- numpy torch-style references -----------------------------------------------------------
def pad_axis(x: np.ndarray, axis: int, left: int, right: int, padding: str) -> np.ndarray:
    """torch F.pad semantics on one axis: negative amounts crop."""
    widths = [(0, 0)] * x.ndim
    widths[axis] = (max(left, 0), max(right, 0))
    kwargs = {"constant_values": 0} if padding == "zeros" else {}
    x = np.pad(x, widths, mode=NP_MODE[padding], **kwargs)
    index = [slice(None)] * x.ndim
    index[axis] = slice(max(-left, 0), x.shape[axis] - max(-right, 0))
    return x[tuple(index)]


def torch_conv1d(x: np.ndarray, w: np.ndarray, stride: int, dilation: int) -> np.ndarray:
    """torch.nn.functional.conv1d(x[None], w, stride=..., dilation=...)[0] on a pre-padded x."""
    c_out, c_in, k = w.shape
    n_out = (x.shape[1] - dilation * (k - 1) - 1) // stride + 1
    out = np.zeros((c_out, n_out))
    for o in range(c_out):
        for i in range(n_out):
            window = x[:, i * stride: i * stride + dilation * (k - 1) + 1: dilation]
            out[o, i] = np.sum(window * w[o])
    return out


def torch_conv2d(x: np.ndarray, w: np.ndarray, stride: tuple, dilation: tuple) -> np.ndarray:
    c_out, c_in, kh, kw = w.shape
    (sh, sw), (dh, dw) = stride, dilation
    h_out = (x.shape[1] - dh * (kh - 1) - 1) // sh + 1
    w_out = (x.shape[2] - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((c_out, h_out, w_out))
    for o in range(c_out):
        for i in range(h_out):
            for j in range(w_out):
                window = x[:, i * sh: i * sh + dh * (kh - 1) + 1: dh, j * sw: j * sw + dw * (kw - 1) + 1: dw]
                out[o, i, j] = np.sum(window * w[o])
    return out


def torch_pads(origin: int, k: int, d: int, padding: str) -> tuple[int, int]:
    if padding == "valid":
        return 0, 0
    return -d * origin, d * (origin + k - 1)


@st.composite
def conv1d_case(draw):
    n = draw(st.integers(1, 9))
    k = draw(st.integers(1, 4))
    channels = draw(st.sampled_from([None, (1, 1), (2, 1), (1, 2), (2, 3)]))
    c_out, c_in = channels or (1, 1)
    kernel = [[[draw(dyadic) for _ in range(k)] for _ in range(c_in)] for _ in range(c_out)]
    signal = [[draw(dyadic) for _ in range(n)] for _ in range(c_in)]
    return dict(
        n=n, k=k, channels=channels is not None, kernel=kernel, signal=signal,
        origin=draw(st.integers(-4, 2)), dilation=draw(st.integers(1, 3)), stride=draw(st.integers(1, 3)),
        padding=draw(st.sampled_from(["zeros", "periodic", "reflect", "replicate", "valid"])),
    )


@settings(max_examples=40, deadline=None)
@given(conv1d_case())
def test_correlation_1d_matches_numpy_torch_reference(case):
    k, d, n, padding = case["k"], case["dilation"], case["n"], case["padding"]
    kernel = case["kernel"] if case["channels"] else case["kernel"][0][0]
    signal = case["signal"] if case["channels"] else case["signal"][0]
    layer = Correlation(kernel, origin=case["origin"], padding=padding, stride=case["stride"], dilation=d)
    left, right = torch_pads(case["origin"], k, d, padding)
    if padding == "valid" and d * (k - 1) + 1 > n or padding == "reflect" and max(left, right) > n - 1:
        with pytest.raises(se.InvalidArgumentError, match="padding="):
            layer(signal)
    else:
        x = to_np(case["signal"])
        if padding != "valid":
            x = pad_axis(x, 1, left, right, padding)
        expected = as_fractions(torch_conv1d(x, to_np(case["kernel"]), case["stride"], d))
        got = layer(signal)
        assert got.to_fractions() == (expected if case["channels"] else expected[0])
        assert got.shape == layer.output_shape((len(case["signal"]), n) if case["channels"] else (n,))


@st.composite
def conv2d_case(draw):
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    channels = draw(st.sampled_from([None, (2, 1), (1, 2)]))
    c_out, c_in = channels or (1, 1)
    kernel = [[[[draw(dyadic) for _ in range(kw)] for _ in range(kh)] for _ in range(c_in)] for _ in range(c_out)]
    signal = [[[draw(dyadic) for _ in range(w)] for _ in range(h)] for _ in range(c_in)]
    return dict(
        hw=(h, w), kk=(kh, kw), channels=channels is not None, kernel=kernel, signal=signal,
        origin=(draw(st.integers(-2, 1)), draw(st.integers(-2, 1))),
        dilation=(draw(st.integers(1, 2)), draw(st.integers(1, 2))),
        stride=(draw(st.integers(1, 2)), draw(st.integers(1, 2))),
        padding=draw(st.sampled_from(["zeros", "periodic", "reflect", "replicate", "valid"])),
    )


@settings(max_examples=40, deadline=None)
@given(conv2d_case())
def test_correlation_2d_matches_numpy_torch_reference(case):
    padding = case["padding"]
    kernel = case["kernel"] if case["channels"] else case["kernel"][0][0]
    signal = case["signal"] if case["channels"] else case["signal"][0]
    layer = Correlation(kernel, origin=case["origin"], padding=padding, stride=case["stride"],
                        dilation=case["dilation"])
    pads = [torch_pads(o, k, d, padding) for o, k, d in zip(case["origin"], case["kk"], case["dilation"])]
    too_short = any(d * (k - 1) + 1 > n for d, k, n in zip(case["dilation"], case["kk"], case["hw"]))
    too_far = any(max(p) > n - 1 for p, n in zip(pads, case["hw"]))
    if padding == "valid" and too_short or padding == "reflect" and too_far:
        with pytest.raises(se.InvalidArgumentError, match="padding="):
            layer(signal)
    else:
        x = to_np(case["signal"])
        if padding != "valid":
            x = pad_axis(pad_axis(x, 1, *pads[0], padding), 2, *pads[1], padding)
        expected = as_fractions(torch_conv2d(x, to_np(case["kernel"]), case["stride"], case["dilation"]))
        got = layer(signal)
        assert got.to_fractions() == (expected if case["channels"] else expected[0])


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_origin_matching_torch_same_padding(k):
    # torch padding='same' (stride 1, dilation 1): total = K-1 zeros, left = total // 2
    kernel = [Fraction(m + 1, 2) for m in range(k)]
    signal = [Fraction(v, 4) for v in (3, -1, 4, 1, -5, 9, 2)]
    total = k - 1
    x = pad_axis(to_np([signal]), 1, total // 2, total - total // 2, "zeros")
    expected = as_fractions(torch_conv1d(x, to_np([[kernel]]), 1, 1))[0]
    assert Correlation(kernel, origin=-((k - 1) // 2))(signal).to_fractions() == expected


def test_dilated_same_padding_odd_kernel():
    # torch padding='same', dilation 2, K=3: left = 2 = d * 1, so origin=-1
    kernel, signal = [1, -2, 3], [Fraction(v) for v in (1, 0, 2, 5, -1)]
    x = pad_axis(to_np([signal]), 1, 2, 2, "zeros")
    expected = as_fractions(torch_conv1d(x, to_np([[kernel]]), 1, 2))[0]
    assert Correlation(kernel, origin=-1, dilation=2)(signal).to_fractions() == expected


# --- the paper's convolution against a hand-written formula ---------------------------------
def read(b: list, i: int, padding: str):
    n = len(b)
    if 0 <= i < n:
        return b[i]
    if padding == "zeros":
        return 0
    if padding == "periodic":
        return b[i % n]
    if padding == "replicate":
        return b[0] if i < 0 else b[-1]
    return b[-i] if i < 0 else b[2 * (n - 1) - i]  # reflect


def convolution_reference(a, b, origin, padding, dilation=1, stride=1):
    """C_j = sum_k a_k b_{j - d k}, k = origin .. origin + K - 1 (paper eq. 3)."""
    n, taps = len(b), range(origin, origin + len(a))
    if padding == "valid":
        first = dilation * (origin + len(a) - 1)
        js = range(first, n + dilation * origin)
        padding = "zeros"
    else:
        js = range(n)
    return [sum((a[k - origin] * read(b, j - dilation * k, padding) for k in taps), Fraction(0))
            for j in list(js)[::stride]]


@settings(max_examples=40, deadline=None)
@given(st.lists(rational, min_size=1, max_size=12), st.lists(rational, min_size=1, max_size=5),
       st.integers(-6, 3), st.integers(1, 3), st.integers(1, 3),
       st.sampled_from(["zeros", "periodic", "replicate", "valid"]))
def test_convolution_matches_hand_formula(b, a, origin, dilation, stride, padding):
    layer = Convolution(a, origin=origin, padding=padding, dilation=dilation, stride=stride)
    if padding == "valid" and dilation * (len(a) - 1) + 1 > len(b):
        with pytest.raises(se.InvalidArgumentError):
            layer(b)
    else:
        expected = convolution_reference(a, b, origin, padding, dilation, stride)
        assert layer(b).to_fractions() == expected
        # the symbolic path (direct sum over sympy entries) agrees with the fmpq_poly path
        assert layer(se.Signal(b, domain="EX")) == se.Signal(expected)


def test_periodic_kernel_longer_than_signal_wraps_repeatedly():
    # C_j = sum_k a_k b_{(j-k) mod 2}, k = 0..4: b_0 gets a_0 + a_2 + a_4 at j = 0
    got = Convolution([1, 10, 100, 1000, 10000], padding="periodic")([1, 0])
    assert got == se.Signal([10101, 1010])


def test_reflect_by_hand():
    # correlation [1, 1, 1] centred: b_{-1} = b_1 and b_4 = b_2 (edge not repeated)
    got = Correlation([1, 1, 1], origin=-1, padding="reflect")([1, 2, 4, 8])
    assert got == se.Signal([2 + 1 + 2, 1 + 2 + 4, 2 + 4 + 8, 4 + 8 + 4])


@pytest.mark.parametrize("padding, expected", [
    # rows 0..1 and columns 0..2 of b = [[1, 2, 3], [4, 5, 6]] read one step up and left:
    # reflect: b_{-1, j} = b_{1, j}, b_{i, -1} = b_{i, 1}; replicate: b_{-1, j} = b_{0, j}, b_{i, -1} = b_{i, 0}
    ("reflect", [[5, 4, 5], [2, 1, 2]]),
    ("replicate", [[1, 1, 2], [1, 1, 2]]),
    ("periodic", [[6, 4, 5], [3, 1, 2]]),
    ("zeros", [[0, 0, 0], [0, 1, 2]]),
])
def test_two_dimensional_boundaries_by_hand(padding, expected):
    # correlation with a single tap at (k, l) = (-1, -1): C_{i,j} = b_{i-1, j-1}
    got = Correlation([[1]], origin=(-1, -1), padding=padding)([[1, 2, 3], [4, 5, 6]])
    assert got == se.Signal(expected)


def test_two_dimensional_convolution_by_hand():
    # C_{i,j} = sum a_{k,l} b_{i-k, j-l}; a unit impulse reproduces the kernel
    impulse = se.Signal.unit((3, 3), (1, 1))
    got = Convolution([[1, 2], [3, 4]], origin=(0, 0))(impulse)
    assert got == se.Signal([[0, 0, 0], [0, 1, 2], [0, 3, 4]])


# --- properties -----------------------------------------------------------------------------
@st.composite
def linearity_cases(draw):
    """A kernel, origin and padding, then two inputs long enough for that padding:
    "valid" needs n >= K, "reflect" needs every read to land at most n - 1 places
    outside (C_j reads b_{j-k}, k = o .. o+K-1: o+K-1 to the left, -o to the right)."""
    a = draw(st.lists(rational, min_size=1, max_size=4))
    origin = draw(st.integers(-3, 3))
    padding = draw(st.sampled_from(["zeros", "periodic", "reflect", "replicate", "valid"]))
    shortest = {"valid": len(a), "reflect": max(origin + len(a) - 1, -origin) + 1}.get(padding, 1)
    n = draw(st.integers(shortest, max(shortest, 8)))
    u, v = (draw(st.lists(rational, min_size=n, max_size=n)) for _ in range(2))
    return a, origin, padding, u, v


@settings(max_examples=40, deadline=None)
@given(linearity_cases(), rational, rational)
def test_convolution_is_linear(case, alpha, beta):
    a, origin, padding, u_values, v_values = case
    u, v = se.Signal(u_values), se.Signal(v_values)
    layer = Convolution(a, origin=origin, padding=padding)
    lhs = layer(u * alpha + v * beta)
    assert lhs == layer(u) * alpha + layer(v) * beta


def roll(values: list, shift: int) -> list:
    """Move content right by ``shift`` places, cyclically (written by hand)."""
    n = len(values)
    return [values[(j - shift) % n] for j in range(n)]


@settings(max_examples=40, deadline=None)
@given(st.lists(rational, min_size=1, max_size=10), st.lists(rational, min_size=1, max_size=6),
       st.integers(-5, 5), st.integers(-12, 12), st.integers(1, 3))
def test_periodic_convolution_commutes_with_integer_shifts(b, a, origin, shift, dilation):
    layer = Convolution(a, origin=origin, padding="periodic", dilation=dilation)
    assert layer(roll(b, shift)).to_fractions() == roll(layer(b).to_fractions(), shift)


@settings(max_examples=40, deadline=None)
@given(st.lists(rational, min_size=2, max_size=10), st.lists(rational, min_size=1, max_size=4),
       st.integers(-4, 2), st.integers(1, 2), st.integers(1, 2),
       st.sampled_from(["zeros", "periodic", "reflect", "replicate", "valid"]))
def test_correlation_is_convolution_with_flipped_kernel(b, a, origin, dilation, stride, padding):
    # Correlation(a, origin=o) == Convolution(reversed(a), origin=-(o + K - 1)): the right side
    # is evaluated with the hand-written formula above, not with symequi
    corr = Correlation(a, origin=origin, padding=padding, dilation=dilation, stride=stride)
    k = len(a)
    flipped_origin = -(origin + k - 1)
    reach = dilation * max(-origin, origin + k - 1)  # furthest read outside the signal
    too_short = padding == "valid" and dilation * (k - 1) + 1 > len(b)
    if too_short or padding == "reflect" and reach > len(b) - 1:
        with pytest.raises(se.InvalidArgumentError, match="padding="):
            corr(b)
    else:
        expected = convolution_reference(list(reversed(a)), b, flipped_origin, padding, dilation, stride)
        assert corr(b).to_fractions() == expected


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 5), st.integers(1, 3), st.integers(-3, 2), st.sampled_from(["zeros", "periodic"]))
def test_symbolic_kernel_and_signal_against_hand_formula(n, k, origin, padding):
    a = sympy.symbols(f"a0:{k}")
    b = sympy.symbols(f"b0:{n}")
    got = Convolution(list(a), origin=origin, padding=padding)(list(b))
    for j in range(n):
        terms = []
        for m in range(k):
            i = j - (origin + m)
            if padding == "periodic":
                terms.append(a[m] * b[i % n])
            elif 0 <= i < n:
                terms.append(a[m] * b[i])
        assert sympy.expand(got[j] - sum(terms)) == 0


def test_symbolic_kernel_on_rational_signal_2d():
    p = sympy.Symbol("p")
    got = Correlation([[p, 1]], padding="periodic")([[1, 2, 3]])
    assert got == se.Signal([[p + 2, 2 * p + 3, 3 * p + 1]])
    assert not Correlation([[p, 1]]).is_piecewise_linear


def test_matrix_of_periodic_convolution_is_circulant():
    m = Convolution([2, -2], origin=-1, padding="periodic").matrix((4,)).to_Matrix()
    # row j: C_j = 2 b_{j+1} - 2 b_j, indices mod 4
    assert m == sympy.Matrix([[-2, 2, 0, 0], [0, -2, 2, 0], [0, 0, -2, 2], [2, 0, 0, -2]])


# --- attributes and reports -----------------------------------------------------------------
def test_attributes():
    c = Convolution([[[1, 2, 3]], [[4, 5, 6]]], origin=-1, stride=2, dilation=1, padding="periodic")
    assert (c.origin, c.stride, c.dilation, c.padding) == ((-1,), (2,), (1,), "periodic")
    assert (c.spatial_dims, c.in_channels, c.out_channels) == (1, 1, 2)
    assert c.kernel.shape == (2, 1, 3) and c.is_linear and c.is_piecewise_linear
    assert c.output_shape((1, 7)) == (2, 4)
    d = Correlation([[1, 2], [3, 4]], origin=(0, -1), stride=(1, 2))
    assert (d.origin, d.stride, d.dilation, d.spatial_dims, d.in_channels) == ((0, -1), (1, 2), (1, 1), 2, None)
    assert d.output_shape((3, 5)) == (3, 3)
    assert Correlation([1, 2], origin=-1).origin == (-1,)


def test_conventions_and_reports():
    conv = Convolution([2, -2], origin=-1)
    assert conv.conventions() == (
        "convolution C_j = sum_k a_k b_{j-k} (paper eq. 3), kernel origin -1 (k = -1..0)",
        "zero padding (b_i = 0 outside the signal): shift equivariance holds only away from the boundary",
    )
    assert "exactly" in Correlation([1], padding="periodic").conventions()[1]
    assert "PyTorch" in Correlation([1, 2]).conventions()[0]
    assert "stride 2" in Correlation([1, 2], stride=2).conventions()[2]
    assert repr(conv) == "Convolution([2, -2], origin=-1, padding='zeros')"
    assert r"b_{j + k}" in Correlation([1, 2]).latex()
    assert "channels" in Correlation([[[1, 2]]]).describe()


# --- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize("make, match", [
    (lambda: Convolution([0.5, 1]), r"kernel\[0\]=0.5 is a Python float"),
    (lambda: Convolution([]), "kernel is empty"),
    (lambda: Convolution([[]]), "kernel.*empty"),
    (lambda: Convolution([1, 2], padding="same"), "padding='same' is not one of.*origin="),
    (lambda: Convolution([1, 2], padding="circular"), "'periodic'"),
    (lambda: Convolution([1, 2], stride=0), "stride=0 must be >= 1"),
    (lambda: Convolution([1, 2], dilation=-1), "dilation=-1 must be >= 1"),
    (lambda: Convolution([1, 2], origin=0.5), "origin"),
    (lambda: Convolution([[1, 2]], origin=(0, 0, 0)), "origin=.*3 entries.*2 spatial"),
    (lambda: Convolution([[[[[1]]]]]), "nesting depth 5"),
])
def test_bad_arguments_raise_clear_errors(make, match):
    with pytest.raises(se.InvalidArgumentError, match=match):
        make()


def test_float_kernel_is_inexact_error():
    with pytest.raises(se.InexactInputError):
        Correlation([[1, 2.0]])


@pytest.mark.parametrize("layer, signal, match", [
    (Convolution([1, 2, 3], padding="valid"), [1, 2], r"padding='valid'.*\(2 entries along the signal\).*3 entries"),
    (Convolution([1, 1, 1, 1], origin=-3, padding="reflect"), [1, 2, 3], "needs 3 reflected.*at most n - 1 = 2"),
    (Convolution([[[1, 2]], [[3, 4]]]), [[1, 2], [3, 4]], r"expects 1 input channel.*got 2"),
    (Convolution([[[1, 2], [1, 1]]]), [[1, 2, 3]], r"expects 2 input channel.*got 1"),
    (Convolution([1, 2]), [[1, 2], [3, 4]], r"\(K,\) acts on signals of shape \(N,\).*shape \(2, 2\)"),
    (Convolution([[1, 2]]), [1, 2], r"\(KH, KW\).*shape \(2,\)"),
    (Convolution([1, 2], dilation=3, padding="valid"), [1, 2, 3], "dilated kernel"),
])
def test_bad_signals_raise_clear_errors(layer, signal, match):
    with pytest.raises(se.InvalidArgumentError, match=match):
        layer(signal)


def test_numpy_kernels_and_signals_are_accepted_exactly():
    # C_j = b_j - b_{j-1} with periodic padding on [1, 2, 3]: [1 - 3, 2 - 1, 3 - 2]
    conv = Convolution(np.array([1, -1]), padding="periodic")
    assert conv.kernel == se.Signal([1, -1])
    assert conv(np.array([1, 2, 3])) == se.Signal([-2, 1, 1])
    with pytest.raises(se.InexactInputError, match=r"kernel\[0\]=0.5"):
        Convolution(np.array([0.5, -1.0]))
