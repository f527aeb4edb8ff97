"""Model backends behind one small contract (see base.py); found through the `syngen.backends` entry points."""

from syngen.backends.base import Backend, BackendStatus, Generation, GenerationRequest
from syngen.backends.registry import available_backends, get_backend_class

__all__ = ["Backend", "BackendStatus", "Generation", "GenerationRequest", "available_backends",
           "get_backend_class"]
