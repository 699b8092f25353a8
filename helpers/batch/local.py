"""Local runs: each run in a fresh worker process of its own, ``jobs`` at a time.

A worker that dies (killed, out of memory) fails its own run only, and the next
runs get new workers. A worker past its run's timeout (plus a grace period,
during which the run's own kernel watch should have stopped it) is killed with
its kernel.
"""

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers.batch import records, runplan
from helpers.batch.execution import Outcome, execute_run, redirect_kernel_output_to_run_logs, run_name
from helpers.batch.processes import describe_exit, kill_processes

#: Past its timeout, how long a local worker has to stop its run itself before it is killed.
KILL_GRACE_SECONDS = 30


def _worker_main(run, results_dir, kernel_name, timeout, connection):
    """A worker process's life: execute one run, send its outcome, end."""
    redirect_kernel_output_to_run_logs()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner stops its workers itself
    parent = os.getppid()

    def end_with_parent():  # a runner killed outright leaves no worker behind (its kernel follows)
        while True:
            time.sleep(2)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=end_with_parent, daemon=True).start()
    connection.send(execute_run(run, results_dir, kernel_name, timeout))
    connection.close()


@dataclass
class _Worker:
    """A worker process running one run, as the runner sees it."""

    run: runplan.Run
    process: multiprocessing.Process
    connection: object
    started: float
    timeout: float
    family: dict = field(default_factory=dict)  # pid -> psutil.Process: the kernel and what it started
    silent: bool = False  # it closed its end of the pipe without sending an outcome

    def seconds(self):
        """Seconds since the worker started."""
        return time.monotonic() - self.started

    def remember_family(self):
        """Note the worker's descendants now, so they can be killed after the worker is gone."""
        import psutil

        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(self.process.pid).children(recursive=True):
                self.family.setdefault(child.pid, child)

    def kill(self):
        """Kill the worker, its kernel and everything they started."""
        self.remember_family()
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(10)
        kill_processes(list(self.family.values()))
        self.connection.close()


def run_locally(runs, results_dir, jobs, timeout_of, kernel_name, finished, tick):
    """Execute each run in its own fresh worker process (spawned), ``jobs`` at a time.

    Parameters
    ----------
    runs : list of helpers.batch.runplan.Run
        In the order they start.
    results_dir : Path
        Absolute path of the results folder.
    jobs : int
        Worker processes at once.
    timeout_of : callable
        ``timeout_of(run)``: the run's timeout in seconds, or ``None`` for no limit.
    kernel_name : str
        Jupyter kernel that executes the notebooks.
    finished : callable
        Called with each run's :class:`~helpers.batch.execution.Outcome` as it ends.
    tick : callable
        Called about twice a second (the progress display's clock).

    Raises
    ------
    ValueError
        If ``jobs`` is below 1.
    KeyboardInterrupt
        Passed on after the running workers and their kernels are killed and
        their runs recorded as failed ("stopped: the batch was interrupted").
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no inherited threads or state
    waiting, running = list(runs), []
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                run = waiting.pop(0)
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(
                    target=_worker_main,
                    name=f"run {run_name(run)}",
                    args=(run, str(results_dir), kernel_name, timeout_of(run), writer),
                )
                process.start()
                writer.close()  # the worker holds the only writing end: its death reads as end of file
                running.append(_Worker(run, process, reader, time.monotonic(), timeout_of(run)))
            multiprocessing.connection.wait(
                [worker.connection for worker in running if not worker.silent]
                + [worker.process.sentinel for worker in running],
                timeout=0.5,
            )
            for worker in list(running):
                outcome = _outcome_if_ended(worker, results_dir)
                if outcome is not None:
                    running.remove(worker)
                    finished(outcome)
            tick()
    except KeyboardInterrupt:
        for worker in running:
            worker.kill()
            records.mark_failed(
                worker.run.folder(results_dir), worker.run, "stopped: the batch was interrupted", worker.seconds()
            )
        raise


def _outcome_if_ended(worker, results_dir):
    """The worker's outcome if its run ended (reported, died or over time), else ``None``."""
    run = worker.run
    folder = run.folder(results_dir)
    executed = str(folder / Path(run.notebook).name)
    if not worker.silent and worker.connection.poll():
        try:
            outcome = worker.connection.recv()
        except (EOFError, OSError):  # it closed its end without a word: it is ending
            worker.silent = True
            worker.process.join(10)
        else:
            worker.process.join(10)
            worker.connection.close()
            return outcome
    if not worker.process.is_alive():
        seconds = worker.seconds()
        worker.kill()  # its kernel, if still there
        error = f"the worker process running it died ({describe_exit(worker.process.exitcode)}); the other runs go on"
        records.mark_failed(folder, run, error, seconds)
        return Outcome(run, "failed", seconds, error, executed)
    if worker.timeout and worker.seconds() > worker.timeout + KILL_GRACE_SECONDS:
        seconds = worker.seconds()
        worker.kill()
        error = f"timed out after {worker.timeout:g} s (its worker and kernel were killed)"
        records.mark_failed(folder, run, error, seconds)
        return Outcome(run, "failed", seconds, error, executed)
    worker.remember_family()
    return None
