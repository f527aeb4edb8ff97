"""The script `streamlit run` executes; everything lives in syngen.app.main."""

from syngen.app import keep_script_folder_on_path
from syngen.app.main import render

keep_script_folder_on_path(__file__)
render()
