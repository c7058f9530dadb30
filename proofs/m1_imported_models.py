"""Claims about the anchors' own architectures, built as PyTorch modules and imported exactly.

* ``m1-blurpool-shift-2``: antialiased-cnns' BlurPool (Zhang 2019: blur with the binomial
  filter [1, 2, 1]/4, then keep every second sample; circular padding) followed by a global
  max pool is exactly invariant under circular shifts by 2 (the stride): proved for every
  real input;
* ``m1-blurpool-shift-1``: the same classifier is not invariant under a shift by 1: an exact
  counterexample (blurring reduces aliasing, it does not remove it);
* ``m1-residual-circular``: a small residual network ``x + conv(relu(conv(x)))`` with circular
  padding is equivariant to integer shifts: proved for every real input.

The networks are ``torch.nn`` modules; :func:`symequi.from_torch` imports them with their
weights' exact binary values, so the verdicts are about the very modules PyTorch runs.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

import symequi as se
from symequi.report.claims import claim
from symequi.report.derivation import Derivation
from symequi.core.verdict import Verdict
from symequi.core.texescape import Phrase

if TYPE_CHECKING:
    import torch

# These claims need the torch extra (pip install ".[torch]"); without it the script defines none,
# so `symequi prove proofs` runs everywhere.  torch itself is imported by the claims, not here:
# `symequi prove` loads each script to list its claims before it runs them, and importing torch
# takes about 1.5 s of CPU each time.
if importlib.util.find_spec("torch") is not None:
    N = 8  # signal length of the BlurPool claims
    BLUR = (0.25, 0.5, 0.25)
    CONVENTIONS = (Phrase("PyTorch modules imported exactly with symequi.from_torch (float weights at their exact "
                          "binary values); shapes per example (channels, length), no batch axis",
                          r"PyTorch modules imported exactly with \texttt{symequi.from\_torch} (float weights at "
                          "their exact binary values); shapes per example (channels, length), no batch axis"),
                   Phrase("integer shift (T_l u)_j = u_{j-l}, indices mod N (torch.roll)",
                          r"integer shift $(T_l u)_j = u_{j-l}$, indices mod $N$ (\texttt{torch.roll})"))


    def blurpool_classifier(n: int = N) -> torch.nn.Module:
        """BlurPool (binomial blur, circular padding, stride 2) then a global max pool over the n/2 outputs."""
        import torch

        blur = torch.nn.Conv1d(1, 1, 3, stride=2, padding=1, padding_mode="circular", bias=False)
        with torch.no_grad():
            blur.weight.copy_(torch.tensor([[BLUR]]))
        return torch.nn.Sequential(blur, torch.nn.MaxPool1d(n // 2)).eval()


    def residual_network() -> torch.nn.Module:
        """x + conv2(relu(conv1(x))), 2 channels, kernel 3, circular padding (fixed dyadic weights)."""
        import torch

        class Residual(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.conv1 = torch.nn.Conv1d(2, 2, 3, padding=1, padding_mode="circular")
                self.conv2 = torch.nn.Conv1d(2, 2, 3, padding=1, padding_mode="circular")
                with torch.no_grad():
                    for k, p in enumerate(self.parameters()):
                        p.copy_(torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape) / 4 - k)

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                return x + self.conv2(torch.relu(self.conv1(x)))

        return Residual().eval()


    def _setup(d: Derivation, net: torch.nn.Module, shape: tuple[int, ...]) -> se.Operator:
        for c in CONVENTIONS:
            d.convention(c)
        op = se.from_torch(net, input_shape=shape)
        d.text(f"Imported operator: {op.describe()}")
        return op


    @claim("m1-blurpool-shift-2", "M1: BlurPool + global max pool is invariant under shifts by 2",
           statement=f"BlurPool (blur [1, 2, 1]/4, circular padding, stride 2) followed by a global max pool, "
           f"N = {N}: invariant under circular shifts by 2, for every real input",
           latex=(r"Let $B$ be the blur $[1, 2, 1]/4$ with circular padding followed by subsampling by $2$, and "
                  r"$M$ the global maximum. For every $u \in \mathbb{R}^{" + str(N) + r"}$, "
                  r"$M(B(S_2 u)) = M(B(u))$, where $S_2$ is the circular shift by $2$."),
           expect="proved", budget=60, tags=("models", "blurpool"))
    def blurpool_shift_2(d: Derivation) -> Verdict:
        op = _setup(d, blurpool_classifier(), (1, N))
        d.text("A shift by the stride moves the subsampled outputs by one place; the global maximum does not see it.")
        verdict = se.decide(se.Square(op, se.shift((0, 2)), g_out=se.shift((0, 0)), input_shape=(1, N)))
        d.verdict(verdict)
        return verdict


    @claim("m1-blurpool-shift-1", "M1: BlurPool + global max pool is not invariant under shifts by 1",
           statement=f"BlurPool followed by a global max pool, N = {N}, is invariant under circular shifts by 1",
           latex=(r"With $B$ and $M$ as above, $M(B(S_1 u)) = M(B(u))$ for every $u \in \mathbb{R}^{"
                  + str(N) + r"}$ (refuted by an exact witness)."),
           expect="refuted", budget=60, tags=("models", "blurpool"))
    def blurpool_shift_1(d: Derivation) -> Verdict:
        op = _setup(d, blurpool_classifier(), (1, N))
        d.text("A shift by 1 exchanges the two polyphase components; the blur mixes them but does not make them "
               "equal, so the maximum can change.")
        verdict = se.decide(se.Square(op, se.shift((0, 1)), g_out=se.shift((0, 0)), input_shape=(1, N)))
        d.verdict(verdict)
        return verdict


    @claim("m1-residual-circular", "M1: a circular residual network is shift equivariant",
           statement="a residual network x + conv(relu(conv(x))) with circular padding (2 channels, N = 6) is "
           "equivariant to circular integer shifts, for every real input",
           latex=(r"Let $R(x) = x + C_2(\mathrm{ReLU}(C_1 x))$ with circular convolutions $C_1, C_2$ on "
                  r"$\mathbb{R}^{2 \times 6}$. Then $R(S_s x) = S_s R(x)$ for every integer $s$ and every $x$."),
           expect="proved", budget=60, tags=("models", "residual"))
    def residual_circular(d: Derivation) -> Verdict:
        op = _setup(d, residual_network(), (2, 6))
        verdict = se.decide(se.Square(op, se.shift((0, 1)), input_shape=(2, 6)))
        d.verdict(verdict)
        return verdict
