"""`streamlit run app.py` opens the SynGen web app, as in the original study (same as `syngen app`)."""

from syngen.app import keep_script_folder_on_path
from syngen.app.main import render

keep_script_folder_on_path(__file__)
render()
