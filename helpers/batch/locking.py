"""One runner per results folder: ``RESULTS/batch.lock``, and the takeover of a stale one.

The lock file names the runner that holds the folder (pid, host, start time,
command line). A second runner stops with that message; a lock left by a
process that no longer runs on this host is taken over, with a note.
"""

import contextlib
import json
import os
import socket
import sys
import threading
import uuid
from pathlib import Path

from helpers.batch import records

#: The results folder's lock: which runner holds it.
LOCK_FILE = "batch.lock"

_HELD_LOCKS = {}  # lock path -> [token, depth]: a process may nest its own lock (main, then run_batch)


class LockError(RuntimeError):
    """The results folder is held by another runner (the message names it)."""


class ResultsLock:
    """``RESULTS/batch.lock``: keeps a second runner out of a results folder.

    The file holds the holder's pid, host, start time and command line. It is
    created whole and exclusively (a hard link to a complete file), so two
    runners never both get it. A lock whose process no longer runs on this
    host is stale and taken over; ``note`` then says so. One process may hold
    the same lock several times (nested); the file goes with the outermost release.

    Use as a context manager.

    Parameters
    ----------
    folder : str or Path
        The results folder (created if missing when the lock is taken).

    Raises
    ------
    LockError
        On entry, if another runner holds the folder or its lock cannot be read.
    """

    def __init__(self, folder):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_FILE
        self.note = ""

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc_info):
        self.release()

    def acquire(self):
        """Take the lock, or a stale one over (``note`` then says whose it was).

        Raises
        ------
        LockError
            If a live runner holds it, if it cannot be read, or if other runners
            keep taking it.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        key = str(self.path.resolve())
        if key in _HELD_LOCKS:
            _HELD_LOCKS[key][1] += 1
            return
        mine = _holder_record()
        for _ in range(5):
            if _create_exclusively(self.path, mine):
                _HELD_LOCKS[key] = [mine["token"], 1]
                return
            holder = self.holder()
            if holder is None:
                continue  # released meanwhile: try again
            if holder == "unreadable":
                raise LockError(
                    f"{self.path} exists but cannot be read; if no batch runner works on {self.folder}, delete it"
                )
            if _holder_alive(holder):
                raise LockError(_busy_message(self, holder))
            if _take_over_stale(self.path, holder):
                self.note = (
                    f"note: took over the stale lock {self.path}: its runner (pid {holder.get('pid')} "
                    f"on {holder.get('host')}, started {holder.get('started')}) no longer runs"
                )
        raise LockError(f"could not take {self.path}: other runners keep taking it")

    def release(self):
        """Release the lock taken by :meth:`acquire`; the file goes when the outermost holder releases it."""
        key = str(self.path.resolve())
        held = _HELD_LOCKS.get(key)
        if held is None:
            return
        held[1] -= 1
        if held[1]:
            return
        del _HELD_LOCKS[key]
        holder = self.holder()
        if isinstance(holder, dict) and holder.get("token") == held[0]:
            self.path.unlink(missing_ok=True)

    def holder(self):
        """What the lock file says.

        Returns
        -------
        dict or str or None
            Its content; ``"unreadable"`` when it cannot be read; None without a lock.
        """
        try:
            return records.read_json(self.path)
        except records.RecordError:
            return "unreadable"

    def busy(self):
        """A sentence naming the live runner (another process) that holds the folder.

        Returns
        -------
        str
            Empty when no other live runner holds it.
        """
        holder = self.holder()
        if isinstance(holder, dict) and _holder_alive(holder) and holder.get("pid") != os.getpid():
            return _busy_message(self, holder)
        return ""


def _process_start_time(pid):
    """When process ``pid`` started (seconds since the epoch), or ``None`` if it cannot be told."""
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _holder_record():
    """What this process writes into a lock it takes."""
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": records.now(),
        "process_started": _process_start_time(os.getpid()),
        "command": " ".join(sys.argv)[:300],
        "token": uuid.uuid4().hex,
    }


def _holder_alive(holder):
    """True unless the holder certainly no longer runs (same host, pid gone or reused)."""
    import psutil

    if holder.get("host") != socket.gethostname():
        return True  # another machine's process: no way to tell
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        started = holder.get("process_started")
        return not (isinstance(started, (int, float)) and abs(process.create_time() - started) > 1.0)
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:
        return True


def _busy_message(lock, holder):
    """The error that names the runner holding ``lock`` and says what to do."""
    where = f"pid {holder.get('pid')} on host {holder.get('host')}, started {holder.get('started')}"
    command = holder.get("command")
    text = f"{lock.folder} is in use by another batch runner: {where}"
    text += f" ({command})" if command else ""
    text += "; wait for it to end or stop it, then run this command again"
    if holder.get("host") != socket.gethostname():
        text += f"; if it no longer runs, delete {lock.path}"
    return text


def _create_exclusively(path, content):
    """Create ``path`` with ``content`` unless it exists; True if this call created it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(content, indent=2) + "\n")
    try:
        os.link(temporary, path)  # atomic, and the file is complete when it appears
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(descriptor, "w") as file:
            file.write(json.dumps(content, indent=2) + "\n")
        return True
    finally:
        temporary.unlink(missing_ok=True)


def _take_over_stale(path, stale):
    """Remove the stale lock ``stale`` unless another runner replaced it meanwhile."""
    aside = path.with_name(f".{path.name}.{os.getpid()}.stale")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return False
    try:
        moved = records.read_json(aside)
    except records.RecordError:
        moved = None
    if isinstance(moved, dict) and moved.get("token") == stale.get("token"):
        aside.unlink(missing_ok=True)
        return True
    with contextlib.suppress(OSError):  # another runner's fresh lock: put it back
        os.link(aside, path)
    aside.unlink(missing_ok=True)
    return False
