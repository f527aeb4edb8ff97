"""How llama.cpp's OpenMP threads wait between operations, set before llama_cpp is first imported.

PASSIVE alone puts a waiting thread to sleep at once; llama.cpp meets a barrier at every operation of every
layer, so on the embedded model each token paid ~30 wake-ups: one sequence decoded at 24 tokens/s instead of
76, and a 16-row job took 129 s instead of 74 (`python /tmp trace`, docs/embedded-model.md). An unbounded spin
(ACTIVE) is as fast alone but made decoding 8x slower beside other busy processes. A short spin (10,000 turns,
about 0.1 ms) keeps nearly all of the speed (78 s) and costs 6% beside two busy processes (128 s against 120).
libgomp reads GOMP_SPINCOUNT whatever the policy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

THREAD_WAIT = {"OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": "10000"}


def set_thread_wait(environ: dict[str, str] | None = None) -> Mapping[str, str]:
    """Put the wait settings into `environ` (default: this process's), keeping any the user set."""
    target = os.environ if environ is None else environ
    for name, value in THREAD_WAIT.items():
        target.setdefault(name, value)
    return target
