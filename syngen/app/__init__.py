"""The SynGen web app (Streamlit): upload a table, generate rows, watch progress, inspect and download them.

Modules named `*_panel` draw one part of the page; the others (uploads, jobs, backend_choice, exports) hold
the logic and import no UI library, so they can be tested and reused without a browser.
"""

import os
import sys
from pathlib import Path

APP_FILE = Path(__file__).resolve().parent / "streamlit_app.py"

__all__ = ["APP_FILE", "keep_script_folder_on_path"]
_KEPT: set[str] = set()


def keep_script_folder_on_path(script: str) -> None:
    """Streamlit puts the script's folder at the head of sys.path for each run of the script and takes it out
    after, unless it is there already. Taken out while a generation thread imports, the list shifts under the
    import loop, which can skip site-packages ("the embedding model package ... is not installed", a run failed
    in its first second). Kept at the end of sys.path, the folder is never put in nor taken out again."""
    folder = os.path.dirname(os.path.abspath(script))  # as Streamlit spells it
    if folder not in _KEPT:  # beside the entry Streamlit put at the head for this first run, and takes out
        sys.path.append(folder)
        _KEPT.add(folder)
