"""Wall time of the test suite, run as ``make test`` runs it.

``make test`` spreads the test files over ``PYTEST_WORKERS`` processes with
pytest-xdist (3 by default); this part runs the same command once and reports
its wall time, exit code, pytest's summary line and the tests that failed.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def outcome(pytest_output):
    """pytest's final summary ('12 passed, 1 skipped in 3.2s'), or '' if there is none."""
    summary = re.compile(r"\d+ (passed|failed|errors?|skipped|deselected)\b.* in [\d.]+s")
    found = [line.strip("= ").strip() for line in pytest_output.splitlines() if summary.search(line)]
    return found[-1] if found else ""


def failures(pytest_output):
    """The ids of the tests pytest reports as failed or in error, in its order."""
    return [
        line.split()[1]
        for line in pytest_output.splitlines()
        if line.startswith(("FAILED ", "ERROR ")) and len(line.split()) > 1
    ]


def command(workers):
    """The pytest command of ``make test`` with ``workers`` processes."""
    return [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-rfE",
        "-p",
        "no:cacheprovider",
        "-n",
        str(workers),
        "--dist",
        "loadscope",
    ]


def run(log=print):
    """Run the suite once, as ``make test`` does; its wall time, exit code and pytest summary."""
    workers = int(os.environ.get("PYTEST_WORKERS", "3"))
    log(f"  tests: running the whole suite with {workers} workers ...")
    began = time.perf_counter()
    result = subprocess.run(command(workers), cwd=ROOT, capture_output=True, text=True, check=False)
    figures = {
        "seconds": time.perf_counter() - began,
        "exit_code": result.returncode,
        "outcome": outcome(result.stdout),
        "failed": failures(result.stdout),
        "workers": workers,
    }
    log(f"  tests: {figures['seconds']:.0f} s, {figures['outcome']}")
    for test in figures["failed"]:
        log(f"  tests: failed {test}")
    return figures
