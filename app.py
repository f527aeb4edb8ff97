"""`streamlit run app.py` opens the SynGen web app, as in the original study (same as `syngen app`)."""

from syngen.app.main import render

render()
