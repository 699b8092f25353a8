import json
import os
import tempfile
import time

import pytest

from browser_lab import HOW_TO_ENABLE, LATENCIES_DIR, find_chromium, in_ci, latency_report, launch_chromium

# Keep TensorFlow's C++ start-up lines out of test logs where it listens.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The exercises' progress of test runs (and of the kernels they start) stays out of the user's folder,
# in a file of this process that the end of the session removes.
PROGRESS_FILE = os.path.join(tempfile.gettempdir(), f"nnf-test-progress-{os.getpid()}.json")
os.environ["NNF_PROGRESS_FILE"] = PROGRESS_FILE


@pytest.fixture(scope="module")
def chromium():
    """The Chromium the browser tests drive; skipped without one, failed without one in CI."""
    path = find_chromium()
    if path is None:
        if in_ci():
            pytest.fail(f"CI=true but no browser: {HOW_TO_ENABLE}", pytrace=False)
        pytest.skip(HOW_TO_ENABLE)
    return path


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    """A headless Chromium context with a profile of its own, for one test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = launch_chromium(playwright, chromium, tmp_path_factory.mktemp("chromium") / "profile")
        yield context
        context.close()


#: Long, independent tests: collected first (in this order). `make test` spreads the tests with
#: pytest-xdist's ``--dist worksteal``: each worker starts on a contiguous share of the collection, so the
#: first worker starts these at once, and a worker that runs out takes the not-yet-started half of the
#: longest queue. (``--dist loadgroup`` would keep chosen files whole, but under pytest 9 it groups nothing:
#: xdist marks a group by renaming the test's node id, which pytest 9 no longer reads.)
LONG_FIRST = ("test_browser.py", "test_notebooks.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The long files' tests first; every file keeps its own order."""

    def rank(item):
        name = item.path.name
        return LONG_FIRST.index(name) if name in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)  # stable


def pytest_sessionfinish(session):
    for path in (PROGRESS_FILE, PROGRESS_FILE + ".damaged"):
        if os.path.exists(path):
            os.remove(path)


def pytest_sessionstart(session):
    session.config.started_at = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """The browser tests' latencies written during this run (by this process or xdist workers)."""
    if hasattr(config, "workerinput") or not LATENCIES_DIR.is_dir():
        return
    started = getattr(config, "started_at", 0)
    latencies = {
        path.stem: json.loads(path.read_text())
        for path in sorted(LATENCIES_DIR.glob("*.json"))
        if path.stat().st_mtime >= started
    }
    if latencies:
        terminalreporter.write_sep("-", f"browser: per-panel latencies (also in {LATENCIES_DIR})")
        for line in latency_report(latencies):
            terminalreporter.write_line(line)
