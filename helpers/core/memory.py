"""The kernel's memory, as the panels show it: resident now, and the most it has held.

A Binder session has 2 GB for JupyterLab and every kernel together; a notebook
that trains on all of MNIST takes more than half of it. The panels print the
kernel's memory beside their timing so a learner sees it coming.

``rss`` (resident set size) is the memory the process holds in RAM now, read
with psutil. ``peak`` is the most it has held since it started, as the
operating system keeps it (``getrusage``'s ``ru_maxrss``: kibibytes on Linux,
bytes on macOS; Windows has psutil's ``peak_wset``). GB here are 10**9 bytes.
"""

import sys
from dataclasses import dataclass

GB = 10**9
_highest_seen = 0  # bytes: the most this process was seen holding


@dataclass(frozen=True)
class MemoryUse:
    """A process's memory in bytes: resident now (``rss``) and at most so far (``peak``, None if unknown)."""

    rss: int
    peak: int | None = None


def maxrss_bytes(maxrss, platform=None):
    """``getrusage().ru_maxrss`` in bytes: it is in kibibytes on Linux, in bytes on macOS.

    Parameters
    ----------
    maxrss : int
        The value ``resource.getrusage(...).ru_maxrss`` returned.
    platform : str, optional
        ``sys.platform`` of the machine that returned it (default: this one).

    Returns
    -------
    int
    """
    platform = sys.platform if platform is None else platform
    return int(maxrss) if platform == "darwin" else int(maxrss) * 1024


def memory_use():
    """This process's memory now: resident set size and peak, in bytes.

    Returns
    -------
    MemoryUse
        ``peak`` is never below ``rss``, nor below an earlier reading's ``peak``.
    """
    global _highest_seen
    import psutil

    info = psutil.Process().memory_info()
    peak = getattr(info, "peak_wset", None)  # Windows keeps it; Linux and macOS through getrusage
    try:
        import resource
    except ImportError:  # Windows
        pass
    else:
        peak = maxrss_bytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    # The operating system updates its peak lazily: keep the highest reading, so a peak never goes down.
    _highest_seen = max(_highest_seen, info.rss, peak or 0)
    return MemoryUse(info.rss, None if peak is None else _highest_seen)


def format_memory(use):
    """The text a status line shows, e.g. ``memory 1.12 GB (peak 1.25 GB)``.

    Parameters
    ----------
    use : MemoryUse
        Bytes; a negative number is an error.

    Returns
    -------
    str
    """
    for name, value in (("rss", use.rss), ("peak", use.peak)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValueError(f"memory {name} must be a whole number of bytes >= 0; got {value!r}")
    text = f"memory {use.rss / GB:.2f} GB"
    return text if use.peak is None else f"{text} (peak {use.peak / GB:.2f} GB)"


def memory_text():
    """This process's memory as a status line shows it (see :func:`format_memory`).

    Returns
    -------
    str
    """
    return format_memory(memory_use())
