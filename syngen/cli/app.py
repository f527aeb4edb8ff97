"""`syngen app`: open the web app, by running `streamlit run` on the app's script."""

from __future__ import annotations

import importlib.util
import math
import os
import signal
import socket
import subprocess
import sys
import time
import webbrowser

import click

from syngen.errors import ConfigError


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 makes the app reachable from other machines).")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option("--max-upload-mb", type=click.FloatRange(min=0.1), help="Largest accepted upload [default: 50].")
@click.option("--no-browser", is_flag=True, help="Do not open a browser tab.")
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def app(host: str, port: int, max_upload_mb: float | None, no_browser: bool, streamlit_args: tuple[str, ...]) -> None:
    """Open the SynGen web app. Extra arguments go to `streamlit run` (e.g. --theme.base dark)."""
    if importlib.util.find_spec("streamlit") is None:
        raise ConfigError("the web app needs streamlit, which is not installed",
                          "Install it with: pip install 'syngen[app]'")
    from syngen.app import APP_FILE
    from syngen.app.uploads import MAX_UPLOAD_ENV, upload_limit_mb
    from syngen.backends.omp import set_thread_wait

    env = dict(os.environ)
    set_thread_wait(env)
    if max_upload_mb is not None:
        env[MAX_UPLOAD_ENV] = str(max_upload_mb)
    limit = float(env.get(MAX_UPLOAD_ENV, upload_limit_mb()))
    command = build_command(str(APP_FILE), host, port, math.ceil(limit)) + list(streamlit_args)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    click.echo(f"SynGen app on {url} (Ctrl+C stops it)", err=True)
    process = subprocess.Popen(command, env=env)
    # Stopped by a service manager or `kill`: stop Streamlit too rather than leave it running alone.
    signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        if not no_browser and wait_for_port(host, port, process):
            webbrowser.open(url)
        code = process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(10)
    if code:
        sys.exit(code)


def build_command(app_file: str, host: str, port: int, upload_mb: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", app_file,
        "--server.address", host, "--server.port", str(port),
        # Streamlit's own cap refuses oversized files in the browser before they are sent.
        "--server.maxUploadSize", str(upload_mb),
        # Headless skips Streamlit's first-run e-mail prompt, which would wait on the terminal; the
        # browser is opened here instead once the server answers.
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # A local tool: no "Deploy" button or developer menu in the page's toolbar.
        "--client.toolbarMode", "minimal",
    ]


def wait_for_port(host: str, port: int, process: subprocess.Popen, timeout: float = 60.0) -> bool:
    """True once the server accepts connections; False if it exited or took longer than `timeout`."""
    target = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection((target, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False
