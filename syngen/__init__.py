"""SynGen: generate synthetic rows like a real table with language models, and measure them.

    import syngen
    result = syngen.generate("reviews.csv", num_samples=50, seed=1)   # or a pandas DataFrame
    result.rows, result.sidecar, result.save("rows.parquet")
    syngen.evaluate("reviews.csv", result).scores
    syngen.profile("reviews.csv")
    syngen.preview("reviews.csv")   # 3 rows with their prompts, raw answers and verdicts; nothing written

Importing this package stays light: the API (pandas, pydantic) loads on first use of a name below, and
heavy libraries (llama_cpp, torch, streamlit, ray, sklearn) only in the parts that use them.
"""

from __future__ import annotations

from typing import Any

from syngen.errors import SynGenError

__version__ = "0.1.0"
__all__ = ["EvaluationReport", "GenerationResult", "Preview", "Profile", "SynGenError", "__version__", "evaluate",
           "generate", "preview", "profile", "read_audit"]

_LAZY = {"generate": "syngen.api", "evaluate": "syngen.api", "profile": "syngen.api", "preview": "syngen.api",
         "read_audit": "syngen.api", "GenerationResult": "syngen.api_results",
         "EvaluationReport": "syngen.api_results", "Profile": "syngen.api_results", "Preview": "syngen.runs.preview"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'syngen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
