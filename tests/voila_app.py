"""The classroom app served as ``make app`` serves it, for the browser tests and the class benchmark.

:func:`app_command` reads Voilà's command from ``make -n app`` (so the tests start what a teacher
starts: the pool of preheated kernels, the page template, the denied extensions), and
:class:`AppServer` runs it on a free localhost port with a known token. The ``JS_*`` strings are
probes of the app's page for Playwright's ``page.evaluate`` and ``page.wait_for_function``.
"""

import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

from browser_lab import free_port, stop_server

ROOT = Path(__file__).resolve().parents[1]
#: What Voilà logs once its pool of preheated kernels is full.
POOL_FILLED = re.compile(r"Kernel pool of .* is filled with (\d+) kernel")
#: Seconds between two looks at the server while waiting for it.
POLL_INTERVAL = 0.25

# The playground's map (the first panel's nnf-plot image), the page's kernel, and the loading message
# Voilà's page shows while the kernel starts (apps/jupyter/voila/templates/classroom).
JS_MAP = "() => { const img = document.querySelector('.nnf-panel .nnf-plot img'); return img ? img.src : ''; }"
JS_KERNEL_ID = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
JS_LOADING_TEXT = "() => { const e = document.getElementById('loading_text'); return e ? e.textContent : null; }"


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
