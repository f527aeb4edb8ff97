"""The quality report's thread: what it needs is imported before it starts."""

import subprocess
import sys

# The report thread is held at its first step, so whatever is in sys.modules then was imported by start()'s caller.
PROBE = """
import sys, threading
from syngen.app.quality import QualityJob
gate = threading.Event()
class HeldJob:
    @property
    def inputs(self):
        gate.wait(30)
job = QualityJob(HeldJob()).start()
print('matplotlib.pyplot' in sys.modules, job.running)
gate.set()
job.join(30)
"""


def test_the_report_thread_starts_with_matplotlib_already_imported():
    # A first import racing another thread's can fail and leave matplotlib broken for the whole process (CI saw
    # "module 'matplotlib' has no attribute 'get_data_path'" in every later report).
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True", "True"], done.stderr
