"""One run under papermill: its timeout, its kernel's output and watch, and its outcome.

:func:`execute_run` is what every worker calls, a local worker process
(:mod:`helpers.batch.local`) or a Dask task (:mod:`helpers.batch.cluster`): it
executes the run's notebook, records what happened in the run's folder
(:mod:`helpers.batch.records`) and returns an :class:`Outcome`; it never raises.
"""

import contextlib
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers.batch import records, runplan
from helpers.batch.code_version import code_version
from helpers.batch.processes import kill_process_tree

#: Default timeout of a run: this many seconds ...
TIMEOUT_BASE_SECONDS = 120
#: ... plus this many per unit of its weight (e.g. per epoch).
TIMEOUT_PER_WEIGHT_SECONDS = 30
#: Default timeout of a run whose plan names no weight.
UNWEIGHTED_TIMEOUT_SECONDS = 3600

# Set in the runner's own worker processes, which run one notebook each and may
# therefore point their file descriptors at the run's log (not in Dask threads).
_REDIRECT_KERNEL_OUTPUT = False


@dataclass
class Outcome:
    """What happened to one run.

    Attributes
    ----------
    run : helpers.batch.runplan.Run
    status : str
        ``"ok"``, ``"failed"`` or ``"skipped"`` (finished by an earlier invocation).
    seconds : float
        Wall time of the run.
    error : str
        Why it failed (``""`` unless failed).
    notebook : str
        Path of the executed notebook (``""`` if none was written).
    metrics : dict
        What the notebook wrote at ``METRICS_PATH``.
    """

    run: runplan.Run
    status: str
    seconds: float = 0.0
    error: str = ""
    notebook: str = ""
    metrics: dict = field(default_factory=dict)


def run_name(run):
    """``plan/run-id``: how the runner names ``run`` in its messages.

    Parameters
    ----------
    run : helpers.batch.runplan.Run

    Returns
    -------
    str
    """
    return f"{run.plan}/{run.run_id}"


def default_timeout(run):
    """Seconds ``run`` may take by default.

    Parameters
    ----------
    run : helpers.batch.runplan.Run

    Returns
    -------
    float
        120 s + 30 s per unit of the run's weight, or one hour if its plan names no weight.
    """
    if not run.weighted:
        return float(UNWEIGHTED_TIMEOUT_SECONDS)
    return float(TIMEOUT_BASE_SECONDS + TIMEOUT_PER_WEIGHT_SECONDS * run.weight)


def run_timeout(run, timeout=None):
    """The timeout of ``run`` given the command line's ``--timeout``.

    Parameters
    ----------
    run : helpers.batch.runplan.Run
    timeout : float, optional
        ``--timeout``: ``None`` for the default (:func:`default_timeout`), 0 for no limit.

    Returns
    -------
    float or None
        Seconds, or ``None`` for no limit.
    """
    if timeout is None:
        return default_timeout(run)
    return float(timeout) if timeout > 0 else None


def redirect_kernel_output_to_run_logs():
    """From now on, send each run's kernel output to the run's ``kernel.log``.

    Only for a process that executes one run at a time (the runner's own
    worker processes): it points the whole process's stdout and stderr file
    descriptors at the log while a run executes, which threads (Dask) share.
    """
    global _REDIRECT_KERNEL_OUTPUT
    _REDIRECT_KERNEL_OUTPUT = True


@contextlib.contextmanager
def _kernel_output_to(path):
    """Send this process's (and so the kernel's) stdout/stderr file descriptors to ``path``."""
    if not _REDIRECT_KERNEL_OUTPUT:
        yield
        return
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for descriptor in saved:
            os.close(descriptor)


class _KernelWatch:
    """Kills a run's kernel (and whatever it started) once the run is over time.

    Papermill creates the kernel manager from :meth:`manager_class`, so the
    watch knows the kernel's process; the notebook client then sees a dead
    kernel and papermill returns. Works in a worker process and in a Dask
    worker's thread alike, where killing the worker itself is not an option.
    """

    def __init__(self, timeout, started=None):
        self.timeout = timeout
        self.started = time.monotonic() if started is None else started  # the run's clock starts here
        self.timed_out = False
        self.managers = []
        self._killed = set()
        self._done = threading.Event()
        self._thread = None

    def manager_class(self):
        """A kernel manager class that registers every manager it makes with this watch."""
        from jupyter_client.manager import AsyncKernelManager

        managers = self.managers

        class WatchedKernelManager(AsyncKernelManager):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                managers.append(self)

        return WatchedKernelManager

    def __enter__(self):
        if self.timeout:
            self._thread = threading.Thread(target=self._watch, daemon=True, name="run timeout")
            self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._done.set()
        if self._thread is not None:
            self._thread.join()

    def _watch(self):
        if self._done.wait(max(0.0, self.started + self.timeout - time.monotonic())):
            return
        self.timed_out = True
        while True:  # until the run returns: a kernel still starting is killed once it exists
            self.kill_kernels()
            if self._done.wait(1.0):
                return

    def kill_kernels(self):
        """Kill every kernel started so far (each once), with the processes it started."""
        for manager in self.managers:
            pid = getattr(getattr(manager, "provisioner", None), "pid", None)
            if pid and id(manager) not in self._killed:
                self._killed.add(id(manager))
                kill_process_tree(pid)


def execute_run(run, results_dir, kernel_name="python3", timeout=None):
    """Execute one run with papermill and record what happened; never raises.

    Parameters
    ----------
    run : helpers.batch.runplan.Run
    results_dir : str
        Absolute path of the results folder (on a Dask worker: as that worker sees it).
    kernel_name : str
        Jupyter kernel that executes the notebook.
    timeout : float, optional
        Seconds after which the kernel is killed and the run fails as timed out.

    Returns
    -------
    Outcome
        ``status`` is ``"ok"`` if the notebook ran to its end and wrote
        readable metrics, else ``"failed"`` with the error and the executed
        notebook's path (it shows the failing cell and its traceback).
    """
    start = time.monotonic()
    folder = run.folder(results_dir)
    executed = folder / Path(run.notebook).name
    record = records.start_record(folder, run, code_version(Path(run.notebook).parent))
    error = ""
    watch = _KernelWatch(timeout, started=start)
    try:
        import papermill  # here, not at import time: `--help` and plan checks stay quick

        if not Path(run.notebook).is_file():
            raise FileNotFoundError(
                f"notebook {run.notebook} not found on {socket.gethostname()} "
                "(Dask workers need the project at the same path)"
            )
        with _kernel_output_to(folder / records.KERNEL_LOG_FILE), watch:
            papermill.execute_notebook(
                run.notebook,
                str(executed),
                parameters={**run.parameters, "METRICS_PATH": str(folder / records.METRICS_FILE)},
                kernel_name=kernel_name,
                progress_bar=False,
                log_output=False,
                # The kernel starts in the notebook's folder. Not papermill's `cwd=`:
                # that changes the whole process's folder, which threads (Dask) share.
                resources={"metadata": {"path": str(Path(run.notebook).parent)}},
                kernel_manager_class=watch.manager_class(),
            )
    except Exception as failure:  # a failing cell, a kernel that died, a missing file: report it
        ename, evalue = getattr(failure, "ename", None), getattr(failure, "evalue", None)
        if ename is not None:  # papermill.PapermillExecutionError: the notebook's own error
            error = f"{ename}: {evalue} (in cell [{failure.exec_count}])"
        else:
            error = f"{type(failure).__name__}: {failure}"
    if watch.timed_out:
        error = f"timed out after {timeout:g} s (its kernel was killed)"
    seconds = time.monotonic() - start
    record, metrics = records.finish_record(folder, record, error, seconds)
    return Outcome(run, record["status"], seconds, record["error"], str(executed), metrics)
