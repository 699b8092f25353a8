"""Checks of settings and notebook parameters: the first bad value stops, named.

A notebook's parameters cell holds literals that papermill may replace with
anything; the cell after it checks them, so a wrong value fails there with a
message that names it and says what it must be, not ten cells later inside Keras.
"""

import numbers


def whole(value):
    """True for a whole number (``3``, ``numpy.int64(3)``), False for ``3.0``, ``True`` or ``"3"``."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def require(checks):
    """Raise ``ValueError`` for the first check that fails.

    Parameters
    ----------
    checks : iterable of (name, value, ok, expected)
        ``ok`` is the check's outcome; ``expected`` completes "<name> must be ...".

    Examples
    --------
    >>> require([("EPOCHS", 0, 0 >= 1, "at least 1")])
    Traceback (most recent call last):
    ...
    ValueError: EPOCHS must be at least 1, got 0
    """
    for name, value, ok, expected in checks:
        if not ok:
            raise ValueError(f"{name} must be {expected}, got {value!r}")
