import os

import pytest

from browser_lab import HOW_TO_ENABLE, find_chromium, in_ci

# Keep TensorFlow's C++ start-up lines out of test logs where it listens.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="module")
def chromium():
    """The Chromium the browser tests drive; skipped without one, failed without one in CI."""
    path = find_chromium()
    if path is None:
        if in_ci():
            pytest.fail(f"CI=true but no browser: {HOW_TO_ENABLE}", pytrace=False)
        pytest.skip(HOW_TO_ENABLE)
    return path
