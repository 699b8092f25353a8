"""Runs on a Dask distributed cluster: reaching a scheduler, checking its workers, one task per run.

Dask's ``distributed`` is imported only when a scheduler is asked for, so the
command line starts without it (and works where it is not installed).
Workers need this project at the same path, the same results folder (a shared
file system), and one thread each (``dask worker ADDRESS --nthreads 1``).
"""

import concurrent.futures as cf
import contextlib

from helpers.batch import records
from helpers.batch.execution import Outcome, execute_run

#: How long to try to reach a Dask scheduler.
SCHEDULER_CONNECT_SECONDS = 10


class SchedulerError(RuntimeError):
    """A Dask scheduler that cannot be used (the message says why, on one line)."""


def connect_scheduler(address, timeout=None):
    """A Dask client connected to the scheduler at ``address``.

    Parameters
    ----------
    address : str
        ``tls://HOST:8786``, ``tcp://127.0.0.1:8786``...
    timeout : float, optional
        Seconds to try (default :data:`SCHEDULER_CONNECT_SECONDS`).

    Returns
    -------
    distributed.Client
        Not set as Dask's default client; the caller closes it.

    Raises
    ------
    SchedulerError
        On one line, if Dask's ``distributed`` is missing, the address is
        malformed, or the scheduler cannot be reached within ``timeout`` seconds.
    """
    timeout = SCHEDULER_CONNECT_SECONDS if timeout is None else timeout
    try:
        from distributed import Client
    except ImportError as error:
        raise SchedulerError("--scheduler needs Dask's 'distributed' package, which is not installed") from error
    try:
        from distributed.comm import parse_address, registry

        registry.get_backend(parse_address(address)[0])  # a bad address fails here, before a Client exists
        return Client(address, timeout=timeout, set_as_default=False)
    except Exception as error:  # refused, timed out, a bad address, TLS mismatch: say it in one line
        detail = " ".join(str(error).split()) or type(error).__name__
        raise SchedulerError(
            f"cannot use the Dask scheduler at {address}: {detail}; check the address and that the scheduler runs"
        ) from error


def scheduler_notes(client, address=""):
    """Warnings about a Dask cluster: no workers, workers with several threads, no TLS on a shared address.

    Parameters
    ----------
    client : distributed.Client
    address : str
        The scheduler's address as given on the command line.

    Returns
    -------
    list of str
        Lines starting with ``note:``; empty if nothing is amiss.
    """
    notes = []
    with contextlib.suppress(Exception):
        threads = client.nthreads()
        if not threads:
            notes.append("note: the Dask scheduler has no workers yet; the runs wait for some to join")
        elif any(count > 1 for count in threads.values()):
            notes.append(
                "note: some Dask workers run several threads, so several notebooks in one "
                "process; start them with `dask worker ADDRESS --nthreads 1`"
            )
    address = str(address)
    if address.startswith("tcp://") and not address[6:].startswith(("127.", "localhost", "[::1]")):
        notes.append(
            f"note: {address} is plain tcp://: anyone who reaches it can run code on its workers; "
            "use tls:// (distributed.Security) or an SSH tunnel to 127.0.0.1"
        )
    return notes


def run_on_dask(runs, results_dir, scheduler, timeout_of, kernel_name, finished, meter):
    """Execute each run as a Dask task; the timeout is enforced in the task (its kernel is killed).

    Parameters
    ----------
    runs : list of helpers.batch.runplan.Run
        In the order they are submitted.
    results_dir : Path
        Absolute path of the results folder, as the workers see it too.
    scheduler : str or distributed.Client
        An address (a client is made and closed here) or a connected client (left open).
    timeout_of : callable
        ``timeout_of(run)``: the run's timeout in seconds, or ``None`` for no limit.
    kernel_name : str
        Jupyter kernel that executes the notebooks.
    finished : callable
        Called with each run's :class:`~helpers.batch.execution.Outcome` as it ends.
    meter : helpers.batch.progress.Progress
        Its ``tick`` is called every ``tick_seconds``.

    Raises
    ------
    SchedulerError
        If ``scheduler`` is an address that cannot be reached.
    KeyboardInterrupt
        Passed on after the pending tasks are cancelled.
    """
    owned = isinstance(scheduler, str)
    client = connect_scheduler(scheduler) if owned else scheduler
    # A concurrent.futures view of the client: each submit is a client.submit of execute_run.
    executor = client.get_executor(pure=False)
    futures = {}
    try:
        futures = {
            executor.submit(execute_run, run, str(results_dir), kernel_name, timeout_of(run)): run for run in runs
        }
        pending = set(futures)
        while pending:
            done, pending = cf.wait(pending, timeout=meter.tick_seconds, return_when=cf.FIRST_COMPLETED)
            for future in done:
                finished(_task_outcome(future, futures[future], results_dir))
            meter.tick()
    except KeyboardInterrupt:
        for future in futures:
            future.cancel()
        raise
    finally:
        executor.shutdown(wait=False)
        if owned:
            client.close()


def _task_outcome(future, run, results_dir):
    """The outcome a finished task returned, or a failure if its worker died."""
    try:
        return future.result()
    except Exception as error:  # the worker itself died: still a clear failure of this run
        message = f"{type(error).__name__}: {error} (the worker running it failed)"
        with contextlib.suppress(OSError):
            records.mark_failed(run.folder(results_dir), run, message)
        return Outcome(run, "failed", error=message)
