"""The classroom app served as ``make app`` serves it, for the browser tests and the class benchmark.

:func:`app_command` reads Voilà's command from ``make -n app`` (so the tests start what a teacher
starts: the pool of preheated kernels, the page template, the denied extensions), and
:class:`AppServer` runs it on a free localhost port with a known token. :func:`app_in_chromium` serves
it to a Chromium of the test's own, :func:`wait_for_panels` waits for the page's panels (or says why
they failed), :func:`screenshot_whole_app` takes its picture. The ``JS_*`` strings are probes of the
app's page for Playwright's ``page.evaluate`` and ``page.wait_for_function``.
"""

import contextlib
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

from browser_lab import free_port, launch_chromium, stop_server

ROOT = Path(__file__).resolve().parents[1]
#: Where the browser tests put the app's logs and screenshots.
OUTPUT = ROOT / "build" / "browser"
#: What Voilà logs once its pool of preheated kernels is full.
POOL_FILLED = re.compile(r"Kernel pool of .* is filled with (\d+) kernel")
#: Seconds between two looks at the server while waiting for it.
POLL_INTERVAL = 0.25

# The playground's map (the first panel's nnf-plot image), the page's kernel, and the loading message
# Voilà's page shows while the kernel starts (apps/jupyter/voila/templates/classroom).
JS_MAP = "() => { const img = document.querySelector('.nnf-panel .nnf-plot img'); return img ? img.src : ''; }"
JS_KERNEL_ID = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
JS_LOADING_TEXT = "() => { const e = document.getElementById('loading_text'); return e ? e.textContent : null; }"
# Voilà shows a cell's error in place of its output (the traceback, when asked to show it).
JS_ERROR_TEXT = """() => {
    const text = document.body ? document.body.innerText : '';
    const at = text.search(/There was an error when executing cell|Traceback \\(most recent call last\\)/);
    return at < 0 ? '' : text.slice(Math.max(0, at - 200));
}"""
JS_PANELS_OR_ERROR = f"""() => document.querySelectorAll('.nnf-panel').length >= 2 || ({JS_ERROR_TEXT})() !== ''"""
# Resolves once the page has drawn `frames` more frames.
JS_NEXT_FRAMES = """async (frames) => {
    for (let i = 0; i < frames; i++) await new Promise(resolve => requestAnimationFrame(resolve));
}"""


def app_command(pool, port, token, extra_options=()):
    """The environment and argv of ``make app POOL=pool`` on ``port`` with ``token``, as Make builds them.

    Parameters
    ----------
    pool : int or str
        Kernels prepared in advance (0: none), passed to ``make app`` as ``POOL``.
    port : int
        Port Voilà listens on (``APP_PORT``).
    token : str
        Login token put in place of the generated one.
    extra_options : sequence of str
        More command-line options for Voilà.

    Returns
    -------
    env : dict
        The variables the recipe sets before the command (JUPYTER_PATH for the page template).
    argv : list of str
        The Voilà command, to be run in the repository's root folder.

    Raises
    ------
    ValueError
        When ``make -n app`` refuses ``pool`` (its message says why) or prints no single Voilà command.
    """
    # VENV: the Voilà of the environment running this (make's default is .venv).
    made = subprocess.run(
        ["make", "--no-print-directory", "-s", "-n", "app", f"POOL={pool}", f"APP_PORT={port}", f"VENV={sys.prefix}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise ValueError(f"make app POOL={pool!r} fails: {made.stderr.strip()}")
    lines = made.stdout.replace("\\\n", " ").splitlines()
    voila = [line for line in lines if re.search(r"(^|[ /])voila ", line)]
    if len(voila) != 1:
        raise ValueError(f"expected one voila command in `make -n app`, got:\n{made.stdout}")
    words = shlex.split(voila[0])
    at = next(i for i, word in enumerate(words) if word.endswith("voila"))
    env = dict(word.split("=", 1) for word in words[:at])
    argv = [word if word != "--token" else f"--token={token}" for word in words[at:]]
    return env, [*argv, "--no-browser", *extra_options]


class AppServer:
    """The classroom app as ``make app POOL=pool`` serves it, on a free port with a known token.

    Starting it waits until Voilà listens; :meth:`stop` ends it.

    Parameters
    ----------
    pool : int or str
        Kernels prepared in advance (``make app``'s ``POOL``; 0: a kernel starts per visitor).
    log_path : str or Path
        File that receives Voilà's output (its folder is created).
    extra_options : sequence of str
        More command-line options for Voilà (``--show_tracebacks=True``, say).
    environment : dict, optional
        Variables added to this process's environment for the server.

    Attributes
    ----------
    url : str
        The app's address, token included.
    process : subprocess.Popen
        The Voilà server.
    command : list of str
        Its argv.
    """

    def __init__(self, pool, log_path, extra_options=(), environment=None):
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}/?token={self.token}"
        self.pool = int(pool)
        self.log_path = Path(log_path)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env, argv = app_command(pool, self.port, self.token, extra_options)
        self.command = argv
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            argv, cwd=ROOT, env={**os.environ, **(environment or {}), **env}, stdout=self._log, stderr=subprocess.STDOUT
        )
        self._wait_for(self._listening, 60, "Voilà to listen")

    def _listening(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def _wait_for(self, condition, timeout, what):
        """Poll ``condition`` until it holds; fail at once if Voilà exits, or after ``timeout`` seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"Voilà exited while waiting for {what}; see {self.log_path}")
            if condition():
                return
            time.sleep(POLL_INTERVAL)
        raise TimeoutError(f"timed out after {timeout} s waiting for {what}; see {self.log_path}")

    def wait_pool_filled(self, timeout=600):
        """Wait until Voilà says its pool of preheated kernels is full (nothing to wait for at POOL=0).

        Parameters
        ----------
        timeout : float
            Seconds after which the wait fails with ``TimeoutError``.
        """
        if self.pool > 0:
            self._wait_for(
                lambda: POOL_FILLED.search(self.log_path.read_text()), timeout, f"{self.pool} preheated kernel(s)"
            )

    def stop(self):
        """End the server (terminate, then kill if it lingers) and close its log."""
        stop_server(self.process, self._log, grace=30)


def start_app(pool, log_name, work_dir):
    """The app as ``make app POOL=pool`` serves it, tracebacks shown so that a failure says why.

    Parameters
    ----------
    pool : int or str
        Kernels prepared in advance (0: a kernel starts per visitor).
    log_name : str
        Name of Voilà's log in :data:`OUTPUT`.
    work_dir : str or Path
        A folder of the test's own, for the kernels' runtime files.

    Returns
    -------
    AppServer
        Listening; :meth:`AppServer.stop` ends it.
    """
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return AppServer(
        pool,
        OUTPUT / log_name,
        extra_options=["--show_tracebacks=True"],
        environment={"JUPYTER_RUNTIME_DIR": str(Path(work_dir) / "jupyter-runtime")},
    )


@contextlib.contextmanager
def app_in_chromium(chromium, pool, log_name, work_dir):
    """The app served by :func:`start_app` and a Chromium context to visit it; both end on leaving.

    Parameters
    ----------
    chromium : str
        Path of the Chromium executable.
    pool, log_name, work_dir
        As for :func:`start_app`; Chromium's profile goes to ``work_dir/profile``.

    Yields
    ------
    server : AppServer
    context : playwright.sync_api.BrowserContext
    """
    from playwright.sync_api import sync_playwright

    server = start_app(pool, log_name, work_dir)
    try:
        with sync_playwright() as playwright:
            context = launch_chromium(playwright, chromium, Path(work_dir) / "profile")
            try:
                yield server, context
            finally:
                context.close()
    finally:
        server.stop()


def wait_for_panels(page, server, timeout):
    """Wait until the app's page shows its two panels; fail with Voilà's error if a cell failed instead.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The app's page, opened.
    server : AppServer
        Its server, whose log the failure names.
    timeout : float
        Seconds.
    """
    page.wait_for_function(JS_PANELS_OR_ERROR, polling=250, timeout=timeout * 1000)
    assert page.locator(".nnf-panel").count() >= 2, (
        f"the app failed: {page.evaluate(JS_ERROR_TEXT)[:3000]} (see {server.log_path})"
    )


def wait_for_frames(page, frames=2):
    """Wait until the page has drawn ``frames`` frames: what it was just asked to lay out is on screen."""
    page.evaluate(JS_NEXT_FRAMES, frames)


def screenshot_whole_app(page, path):
    """A screenshot of the whole app: Voilà scrolls inside its own element, so the window is made as tall."""
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('body, body *')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1400, "height": min(max(height + 40, 1000), 5000)})
    page.evaluate("() => document.querySelectorAll('body, body *').forEach(e => { e.scrollTop = 0; })")
    wait_for_frames(page)
    page.screenshot(path=str(path))
