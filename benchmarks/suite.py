"""Wall time of the test suite (``make test``), split into its three groups.

The groups are the pytest markers of pyproject.toml: unit tests (neither
marker), ``notebook`` (every notebook executed by papermill + nbval) and
``browser`` (JupyterLab driven by headless Chromium). Each group runs in its
own pytest process; together they run exactly what ``make test`` runs.
"""

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUPS = {
    "unit": "not notebook and not browser",
    "notebooks": "notebook",
    "browser": "browser",
}


def outcome(pytest_output):
    """pytest's final summary ('12 passed, 1 skipped in 3.2s'), or '' if there is none."""
    summary = re.compile(r"\d+ (passed|failed|errors?|skipped|deselected)\b.* in [\d.]+s")
    found = [line.strip("= ").strip() for line in pytest_output.splitlines() if summary.search(line)]
    return found[-1] if found else ""


def run(groups=tuple(GROUPS), log=print):
    """Run each group once; return its wall time, exit code and pytest summary."""
    start = time.perf_counter()
    results = {}
    for name in groups:
        log(f"  tests: running the {name} group (pytest -m '{GROUPS[name]}') ...")
        began = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-m", GROUPS[name],
                                 "-p", "no:cacheprovider"],
                                cwd=ROOT, capture_output=True, text=True, check=False)
        results[name] = {"seconds": time.perf_counter() - began, "exit_code": result.returncode,
                         "outcome": outcome(result.stdout)}
        log(f"  tests: {name}: {results[name]['seconds']:.0f} s, {results[name]['outcome']}")
    return {"groups": results, "seconds": time.perf_counter() - start}
