"""One training at a time per kernel, in the background when a browser asked for it.
How a run is scheduled
----------------------
A click or a slider release in a live notebook arrives in the kernel as a
``comm_msg`` from the browser. Runs started that way go to a background thread,
so the kernel keeps answering the widgets: Stop works, the curves grow epoch by
epoch. Runs started by code (a cell, papermill, nbval, a unit test) run right
there and return their numbers, so batch outputs stay complete and
deterministic. :func:`triggered_by_frontend` tells the two apart; a panel's
``background`` argument overrides it.

All panels of a kernel share one queue (:data:`RUNS`): one run at a time, a new
request stops the current run and waits for it, and only the latest waiting
request is kept.
"""

import logging
import threading

log = logging.getLogger(__name__)


def triggered_by_frontend():
    """Whether the kernel is handling a message from a live browser (a click, a slider release).

    The kernel records the request it is handling: widget events arrive as
    ``comm_msg``, executed cells as ``execute_request``. Papermill and nbval
    only send the latter, so a headless run never sees True here; neither does
    plain Python.

    Returns
    -------
    bool
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None or not hasattr(kernel, "get_parent"):
        return False
    parent = kernel.get_parent("shell") or {}
    return parent.get("header", {}).get("msg_type") == "comm_msg"


class Job:
    """One run for a :class:`RunQueue`.

    Parameters
    ----------
    work : callable
        ``work(stop_event)`` does the run; it should end soon after
        ``stop_event`` (a ``threading.Event``) is set. Its return value is kept
        in ``result``; it must handle its own errors (show them in its panel).
    owner : object, optional
        Who asked (a panel), so a Stop button stops only its own runs.
    on_cancel : callable, optional
        Called if the job is dropped before it starts (a newer request replaced it).
    """

    def __init__(self, work, owner=None, on_cancel=None):
        self.work = work
        self.owner = owner
        self.on_cancel = on_cancel
        self.stop_event = threading.Event()
        self.result = None

    def stop(self):
        """Ask the work to stop (sets ``stop_event``)."""
        self.stop_event.set()

    def cancel(self):
        """Drop the job before it starts: set ``stop_event`` and call ``on_cancel``."""
        self.stop_event.set()
        if self.on_cancel is not None:
            self.on_cancel()

    def run(self):
        """Do the work with ``stop_event``; keep its return value in ``result`` (errors are logged)."""
        try:
            self.result = self.work(self.stop_event)
        except Exception:  # the work shows its own errors; this keeps the queue alive
            log.exception("panel run failed")


class RunQueue:
    """Runs jobs one at a time, on one background thread or in the caller's.

    :meth:`submit` stops the running job and queues the new one; a job still
    waiting is replaced (only the latest request survives). Two jobs never run
    at the same time, whichever thread asked.
    """

    def __init__(self):
        self._lock = threading.Lock()  # guards the fields below
        self._run_lock = threading.Lock()  # held while any job runs
        self._current = None
        self._waiting = None
        self._thread = None

    @property
    def busy(self):
        """True while a job runs or waits."""
        return self._current is not None or self._waiting is not None

    def submit(self, job):
        """Run ``job`` on the background thread once the current job has stopped.

        Parameters
        ----------
        job : Job
        """
        with self._lock:
            dropped, self._waiting = self._waiting, job
            if self._current is not None:
                self._current.stop()
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="panel-run", daemon=True)
                self._thread.start()
        if dropped is not None:
            dropped.cancel()

    def stop(self, owner=None):
        """Stop the running job and drop the waiting one.

        Parameters
        ----------
        owner : object, optional
            Only that owner's jobs; None: any.
        """
        dropped = None
        with self._lock:
            if self._waiting is not None and owner in (None, self._waiting.owner):
                dropped, self._waiting = self._waiting, None
            if self._current is not None and owner in (None, self._current.owner):
                self._current.stop()
        if dropped is not None:
            dropped.cancel()

    def start(self, job, background=None):
        """Run ``job`` on the background thread (:meth:`submit`) or in this thread (:meth:`run_here`).

        Parameters
        ----------
        job : Job
        background : bool or None
            True: in the background; False: here; None: in the background when a browser
            asked (:func:`triggered_by_frontend`), here when code did.

        Returns
        -------
        object
            The job's result when it ran here; None when it went to the background.
        """
        if triggered_by_frontend() if background is None else background:
            self.submit(job)
            return None
        return self.run_here(job)

    def run_here(self, job):
        """Stop any background job, wait for it, then run ``job`` in this thread.

        Parameters
        ----------
        job : Job

        Returns
        -------
        object
            The job's result.
        """
        if threading.current_thread() is self._thread:
            job.run()  # asked by the running job itself: it already has the queue to itself
            return job.result
        self.stop()
        self.wait()
        with self._run_lock:
            with self._lock:
                self._current = job
            try:
                job.run()
            finally:
                with self._lock:
                    self._current = None
        return job.result

    def wait(self, timeout=None):
        """Wait until the background thread has nothing left to run.

        Parameters
        ----------
        timeout : float, optional
            Seconds; None waits as long as it takes.

        Returns
        -------
        bool
            False on timeout.
        """
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _work(self):
        while True:
            with self._lock:
                job, self._waiting = self._waiting, None
                self._current = job
                if job is None:
                    self._thread = None
                    return
            with self._run_lock:
                job.run()
            with self._lock:
                self._current = None


# The kernel's one queue of panel runs.
RUNS = RunQueue()
