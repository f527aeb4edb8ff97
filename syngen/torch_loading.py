"""One torch model load at a time in this process.

transformers builds a model's modules on the meta device by replacing `torch.nn.Module.register_parameter`
for the whole process (accelerate's `init_empty_weights`) and, on exit, puts back whatever it found there.
Two loads in two threads (the app's report thread and a backend, or two report threads) interleave: the later
one saves the earlier one's replacement as "the original" and restores it, so every model built afterwards in
the process gets empty meta weights and `.to(device)` fails with "Cannot copy out of meta tensor".
Every from_pretrained / SentenceTransformer call in SynGen runs under this lock.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from syngen.errors import SynGenError

_LOCK = threading.Lock()
_PATCHED_BY = "init_on_device.<locals>"  # where accelerate/transformers define their replacement


@contextmanager
def loading_model() -> Iterator[None]:
    """Hold the process-wide model-loading lock; refuse to load into a process another library left broken."""
    with _LOCK:
        _check_torch_intact()
        yield


def _check_torch_intact() -> None:
    torch = sys.modules.get("torch")  # not imported yet: nothing can have replaced its methods
    if torch is None:
        return
    where = getattr(torch.nn.Module.register_parameter, "__qualname__", "")
    if where.startswith(_PATCHED_BY):
        raise SynGenError("torch was left building empty (meta) weights by a model load outside SynGen "
                          "that ran at the same time as another",
                          "Restart the process; load models from one thread at a time")
