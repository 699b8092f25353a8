"""Binder's 2 GB with two notebooks in a row: the memory of JupyterLab and its kernels over time.

What a learner on Binder does, in a real JupyterLab driven by headless Chromium:
open ``04_mlp``, Run All, close its tab, open ``05_dropout``, Run All, close
its tab. Twice: with Binder's settings (``binder/``: closing a tab shuts its
kernel down; the server culls kernels left idle without a tab) and without
them (JupyterLab's own defaults: the closed notebook's kernel keeps running).
Every 0.25 s the resident memory of the server and of every process it started
(its kernels and theirs) is summed with psutil; Chromium is left out (on
Binder it runs on the learner's machine). JAX is hidden from the kernels, as
on Binder, whose runtime has none (``--keep-jax`` lets them import it where it
is installed). GB here are 10**9 bytes.

Run it with ``python -m benchmarks.binder_budget`` (a few minutes per case;
``--defaults`` runs both notebooks with their own parameters, which takes
much longer). Results go to ``build/bench/binder_budget.json``. Not part of
``make test``: it takes the whole machine for minutes.
"""

import argparse
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT_PATH = ROOT / "build" / "bench" / "binder_budget.json"
NOTEBOOKS = ("04_mlp", "05_dropout")
#: Binder's memory limit, in bytes, as the learner reads it ("2 GB").
LIMIT_BYTES = 2 * 10**9
#: Where binder/postBuild puts each of the binder/ settings files, relative to the environment's prefix.
BINDER_SETTINGS = {
    "jupyter_server_config.json": Path("etc") / "jupyter" / "jupyter_server_config.json",
    "overrides.json": Path("share") / "jupyter" / "lab" / "settings" / "overrides.json",
}
#: The reduced run: all 60,000 images (the data is most of a kernel's peak), few epochs.
REDUCED_PARAMETERS = {
    "04_mlp": {"SIMPLE_EPOCHS": 5, "EPOCHS": 3},
    "05_dropout": {"EPOCHS": 3, "LONG_EPOCHS": 5},
}
SAMPLE_SECONDS = 0.25
RUN_ALL_TIMEOUT = 3600


def install_binder_settings(prefix):
    """Copy binder/'s two settings files where binder/postBuild installs them under ``prefix``.

    Returns the options and environment that make a JupyterLab read them.
    """
    prefix = Path(prefix)
    for name, relative in BINDER_SETTINGS.items():
        destination = prefix / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "binder" / name, destination)
    options = [f"--LabApp.app_settings_dir={prefix / BINDER_SETTINGS['overrides.json'].parent}"]
    environment = {"JUPYTER_CONFIG_PATH": str(prefix / BINDER_SETTINGS["jupyter_server_config.json"].parent)}
    return options, environment


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and everything below it, with the number of kernels."""

    def __init__(self, root_pid, interval=SAMPLE_SECONDS):
        super().__init__(daemon=True)
        self.root_pid, self.interval = root_pid, interval
        self.start_time = time.monotonic()
        self.samples = []  # (seconds since start, total bytes, server bytes, kernels)
        self.events = []  # (seconds since start, what happened)
        self._done = threading.Event()

    def mark(self, what):
        self.events.append((round(time.monotonic() - self.start_time, 2), what))
        print(f"  {self.events[-1][0]:7.1f} s  {what}", flush=True)

    def run(self):
        import psutil

        root = psutil.Process(self.root_pid)
        while not self._done.is_set():
            try:
                server = root.memory_info().rss
                total, kernels = server, 0
                for child in root.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                        kernels += "ipykernel" in " ".join(child.cmdline())
                    except psutil.Error:
                        pass  # it ended between listing and reading
                self.samples.append((round(time.monotonic() - self.start_time, 2), total, server, kernels))
            except psutil.Error:
                pass
            self._done.wait(self.interval)

    def stop(self):
        self._done.set()
        self.join()

    def peak(self, start=0.0, end=float("inf")):
        """The largest summed RSS (bytes) sampled between two times, and when."""
        inside = [(total, at) for at, total, _, _ in self.samples if start <= at <= end]
        return max(inside) if inside else (0, None)


#: Put first on the kernels' PYTHONPATH, this makes JAX look uninstalled, as on Binder, whose runtime lock has
#: no JAX (TensorFlow imports it whenever it can, about 0.15 GB more per kernel).
HIDE_JAX = """import sys


class HideJax:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("jax", "jaxlib"):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden, as on Binder)", name=name)
        return None


sys.meta_path.insert(0, HideJax())
"""


def jax_hidden_environment(folder):
    """Environment variables that hide JAX from Python processes (see :data:`HIDE_JAX`)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(HIDE_JAX)
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))}


def prepare_copies(folder, parameters):
    """Copies of 04 and 05 with ``parameters`` injected (papermill, not executed)."""
    import papermill

    for stem in NOTEBOOKS:
        papermill.execute_notebook(
            str(ROOT / "notebooks" / f"{stem}.ipynb"),
            str(folder / f"{stem}.ipynb"),
            parameters=parameters.get(stem, {}),
            prepare_only=True,
            kernel_name="python3",
            progress_bar=False,
        )


def run_notebook_and_close_its_tab(page, lab, stem, memory):
    """Open ``stem`` in JupyterLab, Run All, save, close its tab (as a learner would)."""
    from browser_lab import JS_NOTEBOOK_STATE

    page.goto(lab.notebook_url(f"{stem}.ipynb", stem))
    wait(
        lambda: (
            any(
                s["path"].endswith(f"{stem}.ipynb") and s["kernel"]["execution_state"] == "idle"
                for s in lab.api("/api/sessions")
            )
            and page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count()
        ),
        180,
        f"{stem}: its kernel to start",
    )
    memory.mark(f"{stem} opened, kernel idle")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
    wait(lambda: page.evaluate(JS_NOTEBOOK_STATE)["prompts"][0] != "[ ]:", 30, f"{stem}: Run All to start")
    memory.mark(f"{stem} Run All")
    calm = [0]

    def idle():
        state = page.evaluate(JS_NOTEBOOK_STATE)
        busy = state["status"] != "idle" or any("*" in prompt for prompt in state["prompts"])
        calm[0] = 0 if busy else calm[0] + 1
        return calm[0] >= 3

    wait(idle, RUN_ALL_TIMEOUT, f"{stem}: Run All to finish", poll=1.0)
    state = page.evaluate(JS_NOTEBOOK_STATE)
    not_run = [p for p in state["prompts"] if not re.fullmatch(r"\[\d+\]:", p)]
    memory.mark(f"{stem} Run All done" + (f" ({len(not_run)} cells not run)" if not_run else ""))
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")  # saved, so closing asks nothing
    time.sleep(2)
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon").click()
    wait(lambda: not page.locator(".jp-Notebook").count(), 30, f"{stem}: its tab to close")
    memory.mark(f"{stem} tab closed")
    time.sleep(10)  # let a shutdown (or not) show in the samples
    return {"cells_not_run": len(not_run), "errors": error_outputs(lab.root / f"{stem}.ipynb")}


def error_outputs(path):
    """The error outputs of a notebook JupyterLab saved, as ``ename: evalue``."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    return [
        f"{output.ename}: {output.evalue}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]


def wait(condition, timeout, what, poll=0.25):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(poll)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


def measure_case(binder_settings, parameters, chromium, hide_jax=True):
    """One learner session (04 then 05) in a fresh JupyterLab; its memory figures."""
    from browser_lab import JupyterLab, launch_chromium
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="binder-budget-") as scratch:
        work = Path(scratch)
        (work / "notebooks").mkdir()
        prepare_copies(work / "notebooks", parameters)
        options, environment = install_binder_settings(work / "prefix") if binder_settings else ([], {})
        # The exercises' progress goes to scratch, not to the user's folder.
        environment = {
            **environment,
            "NNF_PROGRESS_FILE": str(work / "progress.json"),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            **(jax_hidden_environment(work / "hide-jax") if hide_jax else {}),
        }
        lab = JupyterLab(work / "notebooks", work, work / "lab.log", options=options, environment=environment)
        memory = TreeMemory(lab.process.pid)
        memory.start()
        try:
            with sync_playwright() as playwright:
                context = launch_chromium(playwright, chromium, work / "profile")
                page = context.new_page()
                runs = {stem: run_notebook_and_close_its_tab(page, lab, stem, memory) for stem in NOTEBOOKS}
                kernels_left = len(lab.api("/api/kernels"))
                memory.mark(f"end: {kernels_left} kernel(s) still running")
                context.close()
        finally:
            memory.stop()
            lab.shut_down_kernels()
            lab.stop()
    return summarize(memory, runs, kernels_left)


def summarize(memory, runs, kernels_left):
    """The figures of one case: peaks per phase, the series, the events."""
    events = dict((what.split(" (")[0], at) for at, what in memory.events)
    closed_04 = events["04_mlp tab closed"]
    peak, peak_at = memory.peak()
    peak_04, _ = memory.peak(end=closed_04)
    peak_05, _ = memory.peak(start=closed_04)
    settled = [total for at, total, _, _ in memory.samples if closed_04 + 5 <= at <= closed_04 + 10]
    return {
        "peak_gb": round(peak / 1e9, 3),
        "peak_at_s": peak_at,
        "peak_while_04_gb": round(peak_04 / 1e9, 3),
        "peak_while_05_gb": round(peak_05 / 1e9, 3),
        "after_04_closed_gb": round(min(settled) / 1e9, 3) if settled else None,
        "server_start_gb": round(memory.samples[0][2] / 1e9, 3) if memory.samples else None,
        "most_kernels_at_once": max((k for *_, k in memory.samples), default=0),
        "kernels_left_at_end": kernels_left,
        "under_limit": peak < LIMIT_BYTES,
        "runs": runs,
        "events": memory.events,
        "samples": [
            (at, round(total / 1e9, 3), round(server / 1e9, 3), kernels)
            for at, total, server, kernels in memory.samples
        ],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--defaults",
        action="store_true",
        help="run 04 and 05 with their own parameters (default: all images, few epochs)",
    )
    parser.add_argument(
        "--cases",
        default="binder,default",
        help="which cases: binder (binder/ settings), default (JupyterLab's), or both",
    )
    parser.add_argument(
        "--keep-jax",
        action="store_true",
        help="let the kernels import JAX if it is installed (Binder's runtime has none)",
    )
    parser.add_argument("--output", type=Path, default=RESULT_PATH)
    args = parser.parse_args(argv)
    # Ended by a signal, it still stops the JupyterLab, kernels and Chromium it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(f"{parser.prog}: ended by SIGTERM"))
    cases = [name.strip() for name in args.cases.split(",") if name.strip()]
    unknown = set(cases) - {"binder", "default"}
    if unknown or not cases:
        parser.error(f"--cases {args.cases!r}: unknown {sorted(unknown)}; allowed: binder, default")
    sys.path.insert(0, str(ROOT / "tests"))  # the browser tests' JupyterLab and Chromium launcher
    from browser_lab import HOW_TO_ENABLE, find_chromium

    chromium = find_chromium()
    if chromium is None:
        parser.error(HOW_TO_ENABLE)
    import importlib.util

    parameters = {} if args.defaults else REDUCED_PARAMETERS
    results = json.loads(args.output.read_text()) if args.output.exists() else {}
    results.update(
        {
            "limit_gb": LIMIT_BYTES / 1e9,
            "notebooks": list(NOTEBOOKS),
            "jax_installed": importlib.util.find_spec("jax") is not None,
        }
    )
    run = ("defaults" if args.defaults else "reduced") + ("_with_jax" if args.keep_jax else "")
    for case in cases:
        print(f"{case} settings, {run} parameters {parameters or '(the notebooks own)'}:", flush=True)
        started = time.monotonic()
        figures = measure_case(case == "binder", parameters, chromium, hide_jax=not args.keep_jax)
        figures.update(
            parameters=parameters,
            seconds=round(time.monotonic() - started, 1),
            jax_in_kernels=args.keep_jax and results["jax_installed"],
        )
        results[f"{case}_settings_{run}"] = figures
        print(
            f"  peak {figures['peak_gb']:.2f} GB (04: {figures['peak_while_04_gb']:.2f}, after its tab closed "
            f"{figures['after_04_closed_gb']}, 05: {figures['peak_while_05_gb']:.2f}); "
            f"{figures['most_kernels_at_once']} kernel(s) at most",
            flush=True,
        )
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=1) + "\n")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
