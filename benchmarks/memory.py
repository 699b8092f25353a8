"""Peak memory of every notebook's kernel, executed with its default parameters.

Each notebook runs with papermill in a subprocess, exactly as a batch user
would run it (no ``-p``: the parameters cell's own values). Two figures per
notebook:

- ``kernel_maxrss_gb``: the kernel's own peak resident set size, read by a cell
  appended to the notebook (``getrusage(RUSAGE_SELF).ru_maxrss``, kept by the
  operating system, so no peak between two samples is missed);
- ``sampled_tree_peak_gb``: the largest sum of resident memory of the kernel and every
  process it started, sampled every 0.2 s with psutil (a notebook that starts
  worker processes needs them all in its memory limit). When the kernel has no
  children this is the same as the first figure, a little lower (sampled).

The larger of the two (``peak_rss_gb``) is the figure to hold against a
Binder memory limit. GB here are 10**9 bytes.
"""

import importlib.util
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
MARK = "BENCH_RUSAGE "
RUSAGE_CELL = f"""import json as _json, resource as _resource
print({MARK!r} + _json.dumps({{
    "self_kb": _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss,
    "children_kb": _resource.getrusage(_resource.RUSAGE_CHILDREN).ru_maxrss}}))"""


def notebooks(names=None):
    """The project's notebooks (``NN_topic.ipynb``), optionally only those whose stem contains a name."""
    paths = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if names:
        paths = [path for path in paths if any(name in path.stem for name in names)]
    return paths


def with_rusage_cell(path, destination):
    """Copy a notebook with one last cell that prints the kernel's peak memory."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(RUSAGE_CELL))
    nbformat.write(notebook, destination)
    return destination


class TreeSampler(threading.Thread):
    """Sample the summed RSS of the kernel(s) below ``root_pid`` and their children."""

    def __init__(self, root_pid, interval=0.2):
        super().__init__(daemon=True)
        self.root_pid, self.interval = root_pid, interval
        self.peak_bytes = 0
        self._done = threading.Event()

    def run(self):
        import psutil

        try:
            root = psutil.Process(self.root_pid)
        except psutil.NoSuchProcess:
            return
        while not self._done.is_set():
            try:
                kernels = [child for child in root.children(recursive=True) if "ipykernel" in " ".join(child.cmdline())]
                total = 0
                for kernel in kernels:
                    for process in [kernel, *kernel.children(recursive=True)]:
                        total += process.memory_info().rss
                self.peak_bytes = max(self.peak_bytes, total)
            except psutil.Error:
                pass  # a process ended between listing and reading: next sample
            self._done.wait(self.interval)

    def stop(self):
        self._done.set()
        self.join()


def measure(path, out_dir, timeout=3600):
    """Run one notebook with its defaults; return its memory figures and wall time."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        source = with_rusage_cell(path, Path(scratch) / path.name)
        executed = out_dir / path.name
        command = [
            sys.executable,
            "-m",
            "papermill",
            str(source),
            str(executed),
            "--cwd",
            str(NOTEBOOKS_DIR),
            "--kernel",
            "python3",
            "--no-progress-bar",
        ]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
        sampler.stop()
        seconds = time.perf_counter() - start
    sampled = sampler.peak_bytes / 1e9 or None
    # TensorFlow imports JAX whenever it is installed (0.15 GB more per kernel): say which it was.
    figures = {
        "seconds": seconds,
        "ok": process.returncode == 0,
        "sampled_tree_peak_gb": sampled,
        "peak_rss_gb": sampled,
        "jax_installed": importlib.util.find_spec("jax") is not None,
    }
    usage = read_rusage(executed) if executed.exists() else None
    if usage:
        figures["kernel_maxrss_gb"] = usage["self_kb"] * 1024 / 1e9
        figures["children_maxrss_gb"] = usage["children_kb"] * 1024 / 1e9
        figures["peak_rss_gb"] = max(figures["peak_rss_gb"] or 0, figures["kernel_maxrss_gb"])
    if process.returncode != 0:
        figures["error"] = stderr[-2000:]
    return figures


def read_rusage(executed):
    """The figures the appended cell printed, or None if it did not run."""
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    for output in notebook.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith(MARK):
                return json.loads(line[len(MARK) :])
    return None


def run(names=None, log=print, out_dir=ROOT / "build" / "bench" / "notebooks"):
    """Measure every notebook in turn (one at a time: each gets the machine to itself)."""
    start = time.perf_counter()
    results = {}
    for path in notebooks(names):
        log(f"  memory: running {path.name} with its default parameters ...")
        figures = measure(path, out_dir)
        results[path.stem] = figures
        log(
            f"  memory: {path.stem}: peak {figures['peak_rss_gb'] or 0:.2f} GB, "
            f"{figures['seconds']:.0f} s, {'ok' if figures['ok'] else 'FAILED'}"
        )
    return {"notebooks": results, "seconds": time.perf_counter() - start}
