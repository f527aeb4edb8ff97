"""SynGen: generate synthetic rows like a real table with language models, and measure them.

Importing this package stays light: heavy libraries (llama_cpp, torch, streamlit, ray) are imported
only by the parts that use them.
"""

from syngen.errors import SynGenError

__version__ = "0.1.0"
__all__ = ["SynGenError", "__version__"]
