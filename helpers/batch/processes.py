"""Processes of a batch: killing a process with everything it started, naming how one ended, SIGTERM.

psutil is imported inside the functions that need it: the command line's ``--help``
and plan checks stay quick.
"""

import contextlib
import signal
import threading


def kill_process_tree(process):
    """Kill a process and every process it started, then wait for them.

    Parameters
    ----------
    process : int or psutil.Process
        The process (a pid, or a ``psutil.Process``, which also guards against a
        pid that was reused meanwhile). One that no longer exists is ignored.
    """
    import psutil

    try:
        process = process if isinstance(process, psutil.Process) else psutil.Process(process)
        family = process.children(recursive=True) + [process]
    except psutil.Error:
        return
    kill_processes(family)


def kill_processes(processes):
    """Kill every one of ``processes`` and wait up to 5 s for them to end.

    Parameters
    ----------
    processes : list of psutil.Process
        Processes already gone, or whose pid now names another process, are
        left alone (psutil refuses them).
    """
    import psutil

    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()  # psutil refuses a pid that now names another process
    psutil.wait_procs(processes, timeout=5)


def describe_exit(code):
    """How a process ended, in words, from its exit code.

    Parameters
    ----------
    code : int or None
        ``multiprocessing.Process.exitcode``: negative for a signal, ``None`` if unknown.

    Returns
    -------
    str
        ``"exit code 1"``, ``"killed by SIGKILL"``, ``"killed by signal 77"`` or ``"no exit status"``.
    """
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


@contextlib.contextmanager
def sigterm_raises_keyboard_interrupt():
    """Within this block SIGTERM stops the batch like Ctrl-C: workers and kernels killed, lock released.

    Only the main thread receives signals; in another thread the block changes nothing.
    The previous SIGTERM handler is restored at its end.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
