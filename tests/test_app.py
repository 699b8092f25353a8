"""The classroom app (apps/classroom.ipynb, served by Voilà with `make app`).

The app notebook is committed clean and runs headless; in a real browser (Voilà on a free
localhost port, headless Chromium driven by Playwright) its two panels show up without code,
the MNIST panel trains in the background (its curves change while it runs), Stop brings it back
to idle, the playground plays and pauses, and the page logs no JavaScript error. The screenshot
goes to build/browser/app.png.
"""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from browser_lab import JS_PLOT_HASH, JS_RUNNING, free_port, launch_chromium, stop_server

ROOT = Path(__file__).resolve().parents[1]
APPS = sorted((ROOT / "apps").glob("*.ipynb"))
APP = ROOT / "apps" / "classroom.ipynb"
OUTPUT = ROOT / "build" / "browser"
PAGE_TIMEOUT = 180        # seconds until both panels are on the page (kernel start, TensorFlow import)
FIRST_DRAW_TIMEOUT = 180  # seconds from Train to the first change of the curves
STOP_TIMEOUT = 60         # seconds from Stop to idle


@pytest.mark.parametrize("path", APPS, ids=[path.stem for path in APPS])
def test_app_notebooks_are_committed_clean(path):
    notebook = json.loads(path.read_text())
    assert set(notebook["metadata"]) <= {"kernelspec", "language_info"}, "stray notebook metadata"
    ids = [cell.get("id") for cell in notebook["cells"]]
    assert len(set(ids)) == len(ids), f"{path.name}: duplicate cell ids"
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, (
                f"{path.name}: cell {cell.get('id')} has outputs; clear them before committing")
        assert set(cell["metadata"]) <= {"tags"}, f"{path.name}: stray cell metadata {cell['metadata']}"


def test_make_app_serves_the_app_on_localhost_with_a_token():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^app:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has an app target"
    command = recipe.group(1)
    assert "voila" in command and "apps/classroom.ipynb" in makefile
    assert "--Voila.ip=127.0.0.1" in command and "--token" in command


@pytest.mark.notebook
def test_app_runs_headless_and_shows_two_panels(tmp_path):
    """Executed top to bottom without a browser: no error, two panels displayed, nothing printed."""
    from nbclient import NotebookClient

    notebook = nbformat.read(APP, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(APP.parent)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    widgets = [output for output in outputs
               if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    assert len(widgets) == 2, f"expected the two panels, got {len(widgets)} widget outputs"
    printed = [output.text for output in outputs if output.output_type == "stream" and output.name == "stdout"]
    assert not printed, f"the app prints text beside its panels: {printed}"


# --- in a browser ------------------------------------------------------------------------------

def app_extension_options():
    """The JupyterLab extensions `make app` keeps out of Voilà, as its command-line options (from the Makefile)."""
    names = re.search(r"^APP_DENIED_EXTENSIONS := (.+)$", (ROOT / "Makefile").read_text(), re.M).group(1).split()
    return [f"--VoilaConfiguration.extension_denylist={name}" for name in names]


class VoilaServer:
    """``voila NOTEBOOK`` on a free 127.0.0.1 port with a known token, as `make app` runs it."""

    def __init__(self, notebook, work_dir, log_path):
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}/?token={self.token}"
        self.log_path = Path(log_path)
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(Path(work_dir) / "jupyter-runtime"))
        command = [sys.executable, "-m", "voila", str(notebook), "--no-browser",
                   "--Voila.ip=127.0.0.1", f"--port={self.port}", f"--token={self.token}",
                   "--show_tracebacks=True", *app_extension_options()]
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_listening()

    def _wait_listening(self, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"Voilà exited; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"Voilà did not listen within {timeout} s; see {self.log_path}")

    def stop(self):
        stop_server(self.process, self._log)


@pytest.mark.browser
def test_app_trains_and_stops_in_the_browser(chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    server = VoilaServer(APP, tmp_path, OUTPUT / "voila.log")
    js_errors = []
    try:
        with sync_playwright() as playwright:
            context = launch_chromium(playwright, chromium, tmp_path / "profile")
            page = context.new_page()
            page.on("console", lambda message: js_errors.append(message.text)
                    if message.type == "error" else None)
            page.on("pageerror", lambda error: js_errors.append(f"uncaught: {error}"))
            try:
                started = time.monotonic()
                page.goto(server.url, timeout=PAGE_TIMEOUT * 1000)
                page.wait_for_function(JS_PANELS_OR_ERROR, polling=250, timeout=PAGE_TIMEOUT * 1000)
                assert page.locator(".nnf-panel").count() >= 2, (
                    f"the app failed: {page.evaluate(JS_ERROR_TEXT)[:3000]} (see {server.log_path})")
                page_seconds = time.monotonic() - started
                text = page.inner_text("body")
                assert "import" not in text and "mlp_panel(" not in text, "the app shows code"
                playground, mlp = page.locator(".nnf-panel").element_handles()[:2]
                play_and_pause(page, playground)
                timings = train_and_stop(page, mlp)
                page.wait_for_timeout(500)
                mlp.scroll_into_view_if_needed()
                assert not js_errors, "JavaScript errors in the app:\n" + "\n".join(js_errors)
            finally:
                screenshot_whole_app(page, OUTPUT / "app.png")
                context.close()
    finally:
        server.stop()
    timings["page_to_panels_s"] = page_seconds
    (OUTPUT / "app-latencies.json").write_text(
        json.dumps({name: round(value, 2) for name, value in timings.items()}, indent=2) + "\n")


# Voilà shows a cell's error in place of its output (the traceback, when asked to show it).
JS_ERROR_TEXT = """() => {
    const text = document.body ? document.body.innerText : '';
    const at = text.search(/There was an error when executing cell|Traceback \\(most recent call last\\)/);
    return at < 0 ? '' : text.slice(Math.max(0, at - 200));
}"""
JS_PANELS_OR_ERROR = f"""() => document.querySelectorAll('.nnf-panel').length >= 2 || ({JS_ERROR_TEXT})() !== ''"""


def button(panel, label):
    for candidate in panel.query_selector_all("button"):
        if candidate.text_content().strip() == label and candidate.is_enabled():
            return candidate
    raise AssertionError(f"no enabled {label} button in the panel")


def wait_for(page, predicate, arg, timeout, what):
    try:
        page.wait_for_function(predicate, arg=arg, polling=50, timeout=timeout * 1000)
    except Exception as error:
        if "Timeout" not in type(error).__name__ and "Timeout" not in str(error):
            raise
        raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None


def changed_plot(before):
    return f"([panel, before]) => {{ const now = ({JS_PLOT_HASH})(panel); return now !== before && now !== 0; }}"


def screenshot_whole_app(page, path):
    """Voilà scrolls inside its own element, not the page: make the window as tall as the app."""
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('body, body *')]"
                           ".map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1400, "height": min(max(height + 40, 1000), 5000)})
    page.evaluate("() => document.querySelectorAll('body, body *').forEach(e => { e.scrollTop = 0; })")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))


def set_epochs_to_maximum(page, panel):
    for slider in panel.query_selector_all(".widget-slider"):
        label = slider.evaluate("e => (e.querySelector('.widget-label') || {}).textContent || ''")
        if "epoch" in label.lower():
            slider.query_selector(".noUi-handle").focus()
            page.keyboard.press("End")
            page.wait_for_timeout(300)
            return slider.query_selector(".widget-readout").text_content().strip()
    raise AssertionError("the MNIST panel has no epochs slider")


def play_and_pause(page, panel):
    """The playground: Play redraws the decision map in the background, Pause stops it."""
    panel.scroll_into_view_if_needed()
    before = page.evaluate(JS_PLOT_HASH, panel)
    button(panel, "Play").click()
    wait_for(page, changed_plot(before), [panel, before], FIRST_DRAW_TIMEOUT, "the playground to redraw")
    button(panel, "Pause").click()
    wait_for(page, f"(panel) => !({JS_RUNNING})(panel)", panel, STOP_TIMEOUT, "the playground to pause")


def train_and_stop(page, panel):
    """The MNIST panel: Train, the curves appear and change, Stop, back to idle with the numbers."""
    panel.scroll_into_view_if_needed()
    set_epochs_to_maximum(page, panel)  # so the run is still going when Stop is pressed
    before = page.evaluate(JS_PLOT_HASH, panel)
    pressed = time.monotonic()
    button(panel, "Train").click()
    wait_for(page, changed_plot(before), [panel, before], FIRST_DRAW_TIMEOUT, "the curves after Train")
    first_draw = time.monotonic() - pressed
    drawn = page.evaluate(JS_PLOT_HASH, panel)  # one more epoch drawn: it is training in the background
    wait_for(page, changed_plot(drawn), [panel, drawn], FIRST_DRAW_TIMEOUT, "the curves to grow")
    assert page.evaluate(JS_RUNNING, panel), "the run ended before Stop could be pressed"
    pressed = time.monotonic()
    button(panel, "Stop").click()
    wait_for(page, f"(panel) => !({JS_RUNNING})(panel)", panel, STOP_TIMEOUT, "the panel to return to idle")
    stopped = time.monotonic() - pressed
    status = " ".join(e.text_content() for e in panel.query_selector_all(".widget-html"))
    assert "Stopped after" in status and "test acc" in status, f"status line after Stop: {status!r}"
    assert button(panel, "Train") is not None
    return {"train_to_first_draw_s": first_draw, "stop_to_idle_s": stopped}
