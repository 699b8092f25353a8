"""Waiting for a condition in the tests, instead of sleeping for a fixed time.

A test that sleeps a fixed time either waits longer than it needs to or, on a busy machine, not
long enough. ``wait_until`` polls a condition and returns as soon as it holds; when it never does,
the test fails with a message that says what it was waiting for. In the browser, Playwright's own
waits (``locator.wait_for``, ``page.wait_for_function``) do the same inside the page.
"""

import time

#: Seconds between two looks at the condition.
POLL_INTERVAL = 0.01


def wait_until(condition, timeout, what, interval=POLL_INTERVAL):
    """Poll ``condition`` until it returns a true value, and return that value.

    Parameters
    ----------
    condition : callable
        Called with no argument; a true result ends the wait.
    timeout : float
        Seconds after which the wait fails.
    what : str
        What is awaited, in words, for the failure message (``"the player to pause"``).
    interval : float
        Seconds between two calls of ``condition``.

    Returns
    -------
    object
        The first true value ``condition`` returned.

    Raises
    ------
    AssertionError
        When ``condition`` stayed false for ``timeout`` seconds; the message names ``what``.
    """
    if timeout <= 0:
        raise ValueError(f"timeout={timeout!r}: give a number of seconds > 0")
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def stays(condition, duration, what, interval=POLL_INTERVAL):
    """Check that ``condition`` holds on every poll for ``duration`` seconds.

    Used where a test must show that something does *not* happen (no step after a pause): the
    condition is watched for the whole window and the first time it fails, the test fails.

    Parameters
    ----------
    condition : callable
        Called with no argument; must stay true.
    duration : float
        Seconds to watch it.
    what : str
        What must hold, in words, for the failure message.
    interval : float
        Seconds between two calls of ``condition``.

    Raises
    ------
    AssertionError
        As soon as ``condition`` returns a false value; the message names ``what``.
    """
    deadline = time.monotonic() + duration
    while True:
        if not condition():
            raise AssertionError(f"{what} stopped holding")
        if time.monotonic() >= deadline:
            return
        time.sleep(interval)
