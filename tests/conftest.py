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


#: Long, independent tests that pytest-xdist spreads one by one over its workers, and starts first
#: (in this order), so that the end of a run is left to short tests. Every other test file stays
#: whole in one worker, so its module fixtures run once.
SPREAD_ONE_BY_ONE = ("test_browser.py", "test_notebooks.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The spread files first: xdist hands out work in collection order (below)."""
    def rank(item):
        name = item.path.name
        return SPREAD_ONE_BY_ONE.index(name) if name in SPREAD_ONE_BY_ONE else len(SPREAD_ONE_BY_ONE)
    items.sort(key=rank)  # stable: each file keeps its own order


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, which a plain pytest may lack
def pytest_xdist_make_scheduler(config, log):
    """Work units for pytest-xdist: one test of a spread file, or a whole other file.

    pytest-xdist's own ``--dist loadgroup`` cannot group under pytest 9 (it renames node ids through an
    attribute pytest 9 no longer reads), so the grouping is made here, by xdist's scheduler hook.
    """
    from xdist.scheduler import LoadScopeScheduling

    class OneByOneOrWholeFile(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            return nodeid if path.rsplit("/", 1)[-1] in SPREAD_ONE_BY_ONE else path

    # In collection order (above): xdist would otherwise sort units by their number of tests and
    # leave the long single tests to the end.
    config.option.loadscopereorder = False
    return OneByOneOrWholeFile(config, log)


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
    latencies = {path.stem: json.loads(path.read_text()) for path in sorted(LATENCIES_DIR.glob("*.json"))
                 if path.stat().st_mtime >= started}
    if latencies:
        terminalreporter.write_sep("-", f"browser: per-panel latencies (also in {LATENCIES_DIR})")
        for line in latency_report(latencies):
            terminalreporter.write_line(line)
