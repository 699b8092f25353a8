"""Support for the browser tests: find Chromium, start JupyterLab, drive it with Playwright.

Kept apart from tests/test_browser.py so the test reads as what a learner does
(open, Run All, move a slider, Train, Stop) and this file as the machinery.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from waiting import wait_until

#: One JSON file per notebook: its Run All seconds and per panel its latencies. The browser
#: tests write them (in whichever pytest-xdist worker ran the notebook); conftest prints them.
LATENCIES_DIR = Path(__file__).resolve().parents[1] / "build" / "browser" / "latencies"
# Where Debian's package puts the real binary (/usr/bin/chromium is a shell wrapper).
CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser"]
CHROMIUM_ENV = "CHROMIUM_PATH"
HOW_TO_ENABLE = (
    f"the browser tests need Chromium: `sudo apt-get install chromium` (Debian/Ubuntu), "
    f"or set {CHROMIUM_ENV} to a Chromium or Chrome executable"
)
# Flags that work headless in containers and keep Chromium off the network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# JupyterLab settings for a quiet, predictable page: no news toast covering the page, every
# cell kept in the DOM (so a panel far down the notebook can be found and scrolled to).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def in_ci():
    """Whether this runs in CI (the CI variable says so), where a missing browser is a failure.

    Returns
    -------
    bool
    """
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def find_chromium():
    """Path of a Chromium executable: the one ``CHROMIUM_PATH`` names, else Debian's.

    Returns
    -------
    str or None
        The executable's path, or None when there is none (or the one named cannot run).
    """
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named if os.access(named, os.X_OK) else None
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now.

    Returns
    -------
    int
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterLab:
    """A JupyterLab server on a free localhost port serving ``root``, with its own settings.

    Starting it waits until the server answers; :meth:`stop` ends it.

    Parameters
    ----------
    root : str or Path
        The folder JupyterLab serves.
    work_dir : str or Path
        Where its settings, workspaces and runtime files go.
    log_path : str or Path
        File that receives the server's output.
    options : sequence of str
        More command-line options for JupyterLab.
    environment : dict, optional
        Variables added to the server's environment.
    """

    def __init__(self, root, work_dir, log_path, options=(), environment=None):
        self.root = Path(root)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        settings = Path(work_dir) / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = dict(
            os.environ,
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(Path(work_dir) / "lab-workspaces"),
            JUPYTER_RUNTIME_DIR=str(Path(work_dir) / "jupyter-runtime"),
            **(environment or {}),
        )
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            *options,
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def api(self, path, method="GET"):
        """Ask the server's REST API.

        Parameters
        ----------
        path : str
            The address below the server, such as ``/api/sessions``.
        method : str
            The HTTP method.

        Returns
        -------
        object
            The decoded JSON answer, or None when the answer is empty.
        """
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def _wait_ready(self, timeout=60):
        def answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited; see {self.log_path}")
            try:
                self.api("/api/status")
                return True
            except OSError:
                return False

        wait_until(answers, timeout, f"JupyterLab to answer (see {self.log_path})", interval=0.25)

    def notebook_url(self, name, workspace):
        """The address that opens notebook ``name`` in a workspace of its own.

        Parameters
        ----------
        name : str
            The notebook's path below the served folder.
        workspace : str
            The workspace's name: one per notebook, so opening one does not restore the tabs of the last.

        Returns
        -------
        str
        """
        return f"{self.url}/lab/workspaces/{workspace}/tree/{name}?token={self.token}"

    def shut_down_kernels(self):
        """Shut down every session's kernel."""
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")

    def stop(self):
        """End the server and close its log."""
        stop_server(self.process, self._log)


def stop_server(process, log, grace=20):
    """End a server started for a test (terminate, then kill after ``grace`` seconds) and close its log.

    Parameters
    ----------
    process : subprocess.Popen
        The server.
    log : file
        The open file that receives its output.
    grace : float
        Seconds it gets to exit after being asked to.
    """
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


# Anything not served by the local JupyterLab (a launch badge's image, say) is answered with
# an empty image: the tests run offline, and an unreachable host is not a page error.
EXTERNAL = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


def launch_chromium(playwright, executable, profile_dir):
    """A headless Chromium context (Playwright) using ``executable``; it never leaves localhost.

    Parameters
    ----------
    playwright : playwright.sync_api.Playwright
        The running Playwright.
    executable : str
        The Chromium executable (:func:`find_chromium`).
    profile_dir : Path
        The profile's folder (emptied first).

    Returns
    -------
    playwright.sync_api.BrowserContext
        The context; the URLs it was kept from are listed in its ``external_requests``.
    """
    shutil.rmtree(profile_dir, ignore_errors=True)
    context = playwright.chromium.launch_persistent_context(
        str(profile_dir),
        executable_path=executable,
        headless=True,
        args=CHROMIUM_FLAGS,
        viewport={"width": 1400, "height": 1000},
    )
    context.external_requests = []

    def answer_locally(route):
        context.external_requests.append(route.request.url)
        route.fulfill(status=200, content_type="image/svg+xml", body=EMPTY_SVG)

    context.route(EXTERNAL, answer_locally)
    return context


# JavaScript run in the page. A panel is the root widget of a helpers panel: it carries the
# CSS class nnf-panel (and nnf-running while it trains).
JS_NOTEBOOK_STATE = """() => {
    const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim());
    return {status: indicator ? indicator.dataset.status : null, prompts};
}"""

# A hash of what the panel's plot shows: the widgets marked nnf-plot (their images and text),
# or else every image in the panel. 0 when it shows nothing.
JS_PLOT_HASH = """(panel) => {
    const marked = [...panel.querySelectorAll('.nnf-plot')];
    const parts = marked.length
        ? marked.flatMap(e => [...e.querySelectorAll('img')].map(i => i.src).concat([e.textContent]))
        : [...panel.querySelectorAll('img')].map(i => i.src);
    let hash = 0;
    for (const part of parts) {
        for (let i = 0; i < part.length; i++) hash = (hash * 31 + part.charCodeAt(i)) | 0;
        hash = (hash * 31 + 7) | 0;
    }
    return parts.join('') === '' ? 0 : hash;
}"""

JS_RUNNING = """(panel) => panel.classList.contains('nnf-running')
    || [...panel.querySelectorAll('button')].some(b => {
        const label = b.textContent.trim();
        return (label === 'Stop' && !b.disabled) || label === 'Pause';
    })"""


def latency_report(latencies):
    """The lines that report the browser tests' latencies.

    Parameters
    ----------
    latencies : dict
        Notebook name -> the content of its latencies file (:data:`LATENCIES_DIR`).

    Returns
    -------
    list of str
        A table: per panel the control changed and its times, then the Run All total.
    """

    def secs(value):
        return "-" if value is None else f"{value:.2f} s"

    lines = [
        f"{'panel':24} {'control changed':30} {'Train->1st draw':>15} {'Stop->last draw':>15} {'Stop->stopped':>14}"
    ]
    for entry in latencies.values():
        for panel in entry["panels"]:
            control = panel["control"]
            moved = (
                f"{control.get('slider') or control.get('dropdown')}: {control['from']}->{control['to']}"
                if "none" not in control
                else "-"
            )
            lines.append(
                f"{panel['panel']:24} {moved[:30]:30} {secs(panel.get('train_to_first_draw_s')):>15} "
                f"{secs(panel.get('stop_to_last_draw_s')):>15} {secs(panel.get('stop_to_stopped_s')):>14}"
            )
            if panel.get("redraws_per_second") is not None:
                lines.append(
                    f"{'':24} playing: {panel['redraws_per_second']:.1f} redraws/s on the page, "
                    f"changed control -> screen {secs(panel.get('change_to_screen_s'))}"
                )
    run_all = sum(entry["run_all_seconds"] for entry in latencies.values())
    lines.append(f"browser tests: {len(latencies)} notebooks, Run All {run_all:.0f} s in all")
    return lines
