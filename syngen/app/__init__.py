"""The SynGen web app (Streamlit): upload a table, generate rows, watch progress, inspect and download them.

Modules named `*_panel` draw one part of the page; the others (uploads, jobs, backend_choice, exports) hold
the logic and import no UI library, so they can be tested and reused without a browser.
"""

from pathlib import Path

APP_FILE = Path(__file__).resolve().parent / "streamlit_app.py"

__all__ = ["APP_FILE"]
