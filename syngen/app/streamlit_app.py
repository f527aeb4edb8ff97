"""The script `streamlit run` executes; everything lives in syngen.app.main."""

from syngen.app.main import render

render()
