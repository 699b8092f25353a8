"""Run plans in batch: every run executed with papermill, kept, resumable, parallel or on Dask.

From the project's folder::

    python -m helpers.batch plans/table.yaml --jobs 2 --results results
    python -m helpers.batch plans/*.yaml --dry-run          # what would run, what is done
    python -m helpers.batch plans/dropout.yaml --scheduler tls://10.0.0.5:8786

Each run leaves a folder ``RESULTS/<plan>/<run-id>/`` with the executed notebook
(all its figures), ``metrics.json`` (written by the notebook at ``METRICS_PATH``),
``run.json`` (the runner's record) and ``kernel.log``; :mod:`helpers.batch.records`
reads and writes them. Every plan is checked in full before any run starts
(:mod:`helpers.batch.runplan`).

Resuming
    Running the same command again skips finished runs and runs the others. A
    run is finished only when its ``run.json`` is complete and readable, says
    ``ok``, holds the plan's current parameters, and its ``metrics.json`` is
    readable. Runs with torn or unreadable records, runs left ``running`` by a
    runner that was killed, failed runs and runs whose parameters changed run
    again, and the runner says which. Finished runs recorded by another code
    version (the project's commit plus a digest of its uncommitted changes) are
    counted per plan and kept; ``--rerun-stale`` runs them again.

One runner per results folder
    ``RESULTS/batch.lock`` names the runner that holds the folder (pid, host,
    start time). A second runner stops with that message. A lock left by a
    process that no longer runs on this host is taken over, with a note.

Timeouts
    A run that takes longer than ``--timeout SECONDS`` is killed, its kernel
    too, and recorded as failed ("timed out after N s"); the other runs go on.
    The default is generous: 120 s + 30 s per unit of the run's weight
    (``weight:`` in its plan, e.g. its epochs: 20 epochs give 720 s), and one
    hour for a plan without ``weight:``. ``--timeout 0`` sets no limit.

Local runs
    ``--jobs N`` runs N at once, each in a fresh worker process that ends with
    its run: a worker that dies (killed, out of memory) fails its own run only,
    and the next runs get new workers.

Dask
    ``--scheduler ADDRESS`` sends the runs to a Dask distributed cluster whose
    workers have this project installed at the same path and see the same
    results folder (a shared file system). Start every worker with
    ``--nthreads 1`` (more processes with ``--nworkers N``): each run's kernel
    uses every core it can, and a worker that dies takes all its threads' runs
    with it. A scheduler on a plain ``tcp://`` address that others can reach
    lets them run any code on its workers: use TLS (``tls://`` addresses, with
    certificates from ``distributed.Security`` or the ``distributed.comm.tls``
    Dask configuration), or keep the scheduler on 127.0.0.1 and reach it
    through an SSH tunnel (``ssh -L 8786:127.0.0.1:8786 HOST``).

Exit codes: 0 every run finished, 1 some run failed, 2 nothing ran (a bad plan,
a results folder in use, a scheduler out of reach), 130 interrupted.
"""

import argparse
import concurrent.futures as cf
import contextlib
import hashlib
import importlib.util
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from helpers.batch import records, runplan

#: Default timeout of a run: this many seconds ...
TIMEOUT_BASE_SECONDS = 120
#: ... plus this many per unit of its weight (e.g. per epoch).
TIMEOUT_PER_WEIGHT_SECONDS = 30
#: Default timeout of a run whose plan names no weight.
UNWEIGHTED_TIMEOUT_SECONDS = 3600
#: Past its timeout, how long a local worker has to stop its run itself before it is killed.
KILL_GRACE_SECONDS = 30
#: How long to try to reach a Dask scheduler.
SCHEDULER_CONNECT_SECONDS = 10
#: The results folder's lock: which runner holds it.
LOCK_FILE = "batch.lock"

# Set in the runner's own worker processes, which run one notebook each and may
# therefore point their file descriptors at the run's log (not in Dask threads).
_REDIRECT_KERNEL_OUTPUT = False


class LockError(RuntimeError):
    """The results folder is held by another runner (the message names it)."""


class SchedulerError(RuntimeError):
    """A Dask scheduler that cannot be used (the message says why, on one line)."""


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


def kill_process_tree(process):
    """Kill a process (a pid or ``psutil.Process``) and every process it started; wait for them."""
    import psutil

    try:
        process = process if isinstance(process, psutil.Process) else psutil.Process(process)
        family = process.children(recursive=True) + [process]
    except psutil.Error:
        return
    _kill_all(family)


def _kill_all(processes):
    import psutil

    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()  # psutil refuses a pid that now names another process
    psutil.wait_procs(processes, timeout=5)


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
            self.kill()
            if self._done.wait(1.0):
                return

    def kill(self):
        for manager in self.managers:
            pid = getattr(getattr(manager, "provisioner", None), "pid", None)
            if pid and id(manager) not in self._killed:
                self._killed.add(id(manager))
                kill_process_tree(pid)


@dataclass
class Outcome:
    """What happened to one run."""

    run: runplan.Run
    status: str  # "ok", "failed" or "skipped" (finished by an earlier invocation)
    seconds: float = 0.0
    error: str = ""
    notebook: str = ""
    metrics: dict = field(default_factory=dict)


def default_timeout(run):
    """Seconds ``run`` may take by default: 120 + 30 per unit of weight, or 1 hour without a weight."""
    if not run.weighted:
        return float(UNWEIGHTED_TIMEOUT_SECONDS)
    return float(TIMEOUT_BASE_SECONDS + TIMEOUT_PER_WEIGHT_SECONDS * run.weight)


def run_timeout(run, timeout=None):
    """The timeout of ``run`` in seconds (``None``: no limit) given ``--timeout`` (``None``: the default)."""
    if timeout is None:
        return default_timeout(run)
    return float(timeout) if timeout > 0 else None


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
            raise FileNotFoundError(f"notebook {run.notebook} not found on {socket.gethostname()} "
                                    "(Dask workers need the project at the same path)")
        with _kernel_output_to(folder / records.KERNEL_LOG_FILE), watch:
            papermill.execute_notebook(
                run.notebook, str(executed),
                parameters={**run.parameters, "METRICS_PATH": str(folder / records.METRICS_FILE)},
                kernel_name=kernel_name, progress_bar=False, log_output=False,
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


def code_version(folder):
    """The project's commit, plus a digest of its uncommitted changes, as ``abc1234`` or ``abc1234+<digest>``.

    Kernels import the project's helpers from its working tree, so two runs with
    the same version ran the same code. ``None`` outside a git repository.
    """
    def git(*arguments):
        result = subprocess.run(["git", *arguments], cwd=folder, capture_output=True, timeout=30)
        if result.returncode:
            raise OSError(result.stderr.decode(errors="replace"))
        return result.stdout

    try:
        commit = git("rev-parse", "--short=12", "HEAD").decode().strip()
        changes = git("diff", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{commit}+{hashlib.sha256(changes).hexdigest()[:12]}" if changes else commit


# ---------------------------------------------------------------------------------------------
# What earlier invocations left: finished, stale, torn, interrupted


@dataclass
class Resume:
    """The runs of a batch sorted by what an earlier invocation left of them.

    Attributes
    ----------
    kept : list of Run
        Finished runs that are not run again (stale ones too, unless ``rerun_stale``).
    todo : list of Run
        Runs to execute, in plan order.
    torn : list of (Run, str)
        Runs whose record or metrics are missing, unreadable or incomplete, with why.
    interrupted, changed, stale : list of Run
        Runs left ``running`` by a runner that stopped; finished with other
        parameters; finished by another code version.
    code_versions : dict
        The current code version of each notebook folder.
    """

    kept: list = field(default_factory=list)
    todo: list = field(default_factory=list)
    torn: list = field(default_factory=list)
    interrupted: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    rerun_stale: bool = False
    code_versions: dict = field(default_factory=dict)

    def label(self, run):
        """``done``, ``stale`` (finished by other code, kept) or ``to run``."""
        if run in self.todo:
            return "to run"
        return "stale" if run in self.stale else "done"

    def notes(self):
        """Lines that say which runs run again and why, and which finished runs are stale."""
        lines = []
        if self.torn:
            lines.append(f"re-running {len(self.torn)} run(s) with torn or unreadable records: "
                         + _listing([f"{_name(run)} ({why})" for run, why in self.torn]))
        if self.interrupted:
            lines.append(f"re-running {len(self.interrupted)} run(s) left 'running' by a runner that "
                         "stopped or was killed: " + _listing([_name(run) for run in self.interrupted]))
        if self.changed:
            lines.append(f"re-running {len(self.changed)} run(s) whose parameters changed since they ran: "
                         + _listing([_name(run) for run in self.changed]))
        if self.stale:
            plans = {}
            for run in self.stale:
                plans[run.plan] = plans.get(run.plan, 0) + 1
            counts = ", ".join(f"{plan}: {count}" for plan, count in plans.items())
            current = ", ".join(sorted({version for version in self.code_versions.values() if version}))
            if self.rerun_stale:
                lines.append(f"re-running {len(self.stale)} finished run(s) recorded by another code version "
                             f"({counts}; this code is {current}), as --rerun-stale asks")
            else:
                lines.append(f"{len(self.stale)} finished run(s) were recorded by another code version "
                             f"({counts}; this code is {current}); kept: --rerun-stale runs them again")
        return lines


def _name(run):
    return f"{run.plan}/{run.run_id}"


def _listing(items, limit=5):
    text = ", ".join(items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def survey(runs, results_dir, rerun_stale=False):
    """Sort ``runs`` by what the results folder holds of them (see :class:`Resume`)."""
    resume = Resume(rerun_stale=rerun_stale)
    for run in runs:
        state = records.run_state(run.folder(results_dir), run.parameters)
        if state.finished:
            notebook_folder = str(Path(run.notebook).parent)
            if notebook_folder not in resume.code_versions:
                resume.code_versions[notebook_folder] = code_version(notebook_folder)
            current = resume.code_versions[notebook_folder]
            recorded = state.record.get("code_version")
            if recorded and current and recorded != current:
                resume.stale.append(run)
                if rerun_stale:
                    resume.todo.append(run)
                    continue
            resume.kept.append(run)
            continue
        resume.todo.append(run)
        if state.state == records.TORN:
            resume.torn.append((run, state.detail))
        elif state.state == records.INTERRUPTED:
            resume.interrupted.append(run)
        elif state.state == records.CHANGED:
            resume.changed.append(run)
    return resume


# ---------------------------------------------------------------------------------------------
# One runner per results folder

_HELD_LOCKS = {}  # lock path -> [token, depth]: a process may nest its own lock (main, then run_batch)


class ResultsLock:
    """``RESULTS/batch.lock``: keeps a second runner out of a results folder.

    The file holds the holder's pid, host, start time and command line. It is
    created whole and exclusively (a hard link to a complete file), so two
    runners never both get it. A lock whose process no longer runs on this
    host is stale and taken over; ``note`` then says so.

    Use as a context manager; :class:`LockError` if another runner holds it.
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
        self.folder.mkdir(parents=True, exist_ok=True)
        key = str(self.path.resolve())
        if key in _HELD_LOCKS:
            _HELD_LOCKS[key][1] += 1
            return
        mine = _lock_content()
        for _ in range(5):
            if _create_exclusively(self.path, mine):
                _HELD_LOCKS[key] = [mine["token"], 1]
                return
            holder = self.holder()
            if holder is None:
                continue  # released meanwhile: try again
            if holder == "unreadable":
                raise LockError(f"{self.path} exists but cannot be read; if no batch runner works on "
                                f"{self.folder}, delete it")
            if _alive(holder):
                raise LockError(_busy_message(self, holder))
            if _take_over(self.path, holder):
                self.note = (f"note: took over the stale lock {self.path}: its runner (pid {holder.get('pid')} "
                             f"on {holder.get('host')}, started {holder.get('started')}) no longer runs")
        raise LockError(f"could not take {self.path}: other runners keep taking it")

    def release(self):
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
        """What the lock file says (a dict), ``"unreadable"``, or ``None`` without a lock."""
        try:
            return records.read_json(self.path)
        except records.RecordError:
            return "unreadable"

    def busy(self):
        """A sentence naming the live runner that holds the folder, or ``""``."""
        holder = self.holder()
        if isinstance(holder, dict) and _alive(holder) and holder.get("pid") != os.getpid():
            return _busy_message(self, holder)
        return ""


def _process_started(pid):
    import psutil

    try:
        return psutil.Process(pid).create_time()
    except psutil.Error:
        return None


def _lock_content():
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": records.now(),
            "process_started": _process_started(os.getpid()), "command": " ".join(sys.argv)[:300],
            "token": uuid.uuid4().hex}


def _alive(holder):
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
    where = (f"pid {holder.get('pid')} on host {holder.get('host')}, started {holder.get('started')}")
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


def _take_over(path, stale):
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


# ---------------------------------------------------------------------------------------------
# Reports


@dataclass
class BatchReport:
    """The outcomes of one invocation, with readable summaries."""

    outcomes: list
    seconds: float = 0.0
    interrupted: bool = False

    def with_status(self, status):
        return [outcome for outcome in self.outcomes if outcome.status == status]

    @property
    def ok(self):
        return not self.with_status("failed") and not self.interrupted

    def summary(self):
        """One line: how many runs finished, were skipped, failed, and the wall time."""
        counts = {status: len(self.with_status(status)) for status in ("ok", "skipped", "failed")}
        line = (f"{counts['ok']} run(s) finished, {counts['skipped']} already done, "
                f"{counts['failed']} failed, in {_duration(self.seconds)}")
        if self.interrupted:
            line += "; interrupted: run the same command again to resume"
        return line

    def failures(self):
        """A paragraph per failed run: which run, its parameters, the error, the executed notebook."""
        paragraphs = []
        for outcome in self.with_status("failed"):
            run = outcome.run
            parameters = ", ".join(f"{name}={value!r}" for name, value in run.parameters.items())
            lines = [f"FAILED {run.plan}/{run.run_id}",
                     f"  parameters: {parameters}",
                     f"  error: {outcome.error}"]
            if outcome.notebook and Path(outcome.notebook).is_file():
                lines.append(f"  executed notebook: {_relative(outcome.notebook)}")
            log = Path(outcome.notebook).parent / records.KERNEL_LOG_FILE if outcome.notebook else None
            if log and log.is_file() and any(word in outcome.error for word in ("Dead", "died", "timed out")):
                lines.append(f"  kernel log: {_relative(log)}")
            paragraphs.append("\n".join(lines))
        return "\n".join(paragraphs)


def _relative(path):
    try:
        return Path(path).resolve().relative_to(Path.cwd())
    except ValueError:
        return Path(path)


def _duration(seconds):
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{seconds:02d}s" if hours else f"{minutes}m{seconds:02d}s"


# ---------------------------------------------------------------------------------------------
# Running a batch


def run_batch(runs, results_dir, jobs=1, scheduler=None, progress=True, stream=None, timeout=None,
              rerun_stale=False, resume=None, kernel_name="python3"):
    """Execute every unfinished run, several at once, and report what happened.

    Parameters
    ----------
    runs : list of helpers.batch.runplan.Run
    results_dir : str or Path
        Results folder; each run writes ``<results_dir>/<plan>/<run-id>/``. The
        folder is locked while the batch runs (:class:`ResultsLock`).
    jobs : int
        Runs executed at once by local worker processes (ignored with ``scheduler``).
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``tls://host:8786``) or a connected client:
        the runs go to that cluster's workers instead of local processes.
    progress : bool
        Show a progress bar with the time left (estimated from the runs'
        weights) and a line per finished run.
    stream : file, optional
        Where progress and per-run lines go (default: standard error).
    timeout : float, optional
        Seconds a run may take before it is killed (0: no limit); by default
        :func:`default_timeout` of each run.
    rerun_stale : bool
        Also run again finished runs recorded by another code version.
    resume : Resume, optional
        What :func:`survey` found, if the caller already looked (under the lock).
    kernel_name : str

    Returns
    -------
    BatchReport
        Finished, skipped and failed runs; a failed run never stops the others.

    Raises
    ------
    LockError
        If another runner holds the results folder.
    SchedulerError
        If ``scheduler`` is an address that cannot be reached.
    """
    stream = stream or sys.stderr
    results_dir = Path(results_dir).resolve()
    start = time.perf_counter()
    report = BatchReport([])
    with ResultsLock(results_dir):
        if resume is None:
            resume = survey(runs, results_dir, rerun_stale)
        report.outcomes += [Outcome(run, "skipped") for run in resume.kept]
        if not resume.todo:
            report.seconds = time.perf_counter() - start
            return report
        meter = Progress(resume.todo, stream, enabled=progress)

        def finished(outcome):
            report.outcomes.append(outcome)
            meter.finished(outcome)

        def timeout_of(run):
            return run_timeout(run, timeout)

        todo = longest_first(resume.todo)
        try:
            if scheduler is None:
                _run_local(todo, results_dir, int(jobs), timeout_of, kernel_name, finished, meter.tick)
            else:
                _run_on_dask(todo, results_dir, scheduler, timeout_of, kernel_name, finished, meter)
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            meter.close()
    report.seconds = time.perf_counter() - start
    return report


def _local_worker(run, results_dir, kernel_name, timeout, connection):
    """A worker process's life: execute one run, send its outcome, end."""
    global _REDIRECT_KERNEL_OUTPUT
    _REDIRECT_KERNEL_OUTPUT = True
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
    run: runplan.Run
    process: multiprocessing.Process
    connection: object
    started: float
    timeout: float
    family: dict = field(default_factory=dict)  # pid -> psutil.Process: the kernel and what it started
    silent: bool = False  # it closed its end of the pipe without sending an outcome

    def seconds(self):
        return time.monotonic() - self.started

    def remember_family(self):
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
        _kill_all(list(self.family.values()))
        self.connection.close()


def _run_local(runs, results_dir, jobs, timeout_of, kernel_name, finished, tick):
    """Each run in its own fresh worker process (spawned), ``jobs`` at a time."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no inherited threads or state
    waiting, running = list(runs), []
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                run = waiting.pop(0)
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(target=_local_worker, name=f"run {_name(run)}",
                                          args=(run, str(results_dir), kernel_name, timeout_of(run), writer))
                process.start()
                writer.close()  # the worker holds the only writing end: its death reads as end of file
                running.append(_Worker(run, process, reader, time.monotonic(), timeout_of(run)))
            multiprocessing.connection.wait(
                [worker.connection for worker in running if not worker.silent]
                + [worker.process.sentinel for worker in running], timeout=0.5)
            for worker in list(running):
                outcome = _check(worker, results_dir)
                if outcome is not None:
                    running.remove(worker)
                    finished(outcome)
            tick()
    except KeyboardInterrupt:
        for worker in running:
            worker.kill()
            records.mark_failed(worker.run.folder(results_dir), worker.run,
                                "stopped: the batch was interrupted", worker.seconds())
        raise


def _check(worker, results_dir):
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
        error = (f"the worker process running it died ({_exit_description(worker.process.exitcode)}); "
                 "the other runs go on")
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


def _exit_description(code):
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def connect_scheduler(address, timeout=None):
    """A Dask client connected to ``address``.

    Raises
    ------
    SchedulerError
        On one line, if Dask's ``distributed`` is missing or the scheduler
        cannot be reached within ``timeout`` seconds.
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
        raise SchedulerError(f"cannot use the Dask scheduler at {address}: {detail}; "
                             "check the address and that the scheduler runs") from error


def scheduler_notes(client, address=""):
    """Warnings about a Dask cluster: workers with several threads, no TLS on a shared address."""
    notes = []
    with contextlib.suppress(Exception):
        threads = client.nthreads()
        if not threads:
            notes.append("note: the Dask scheduler has no workers yet; the runs wait for some to join")
        elif any(count > 1 for count in threads.values()):
            notes.append("note: some Dask workers run several threads, so several notebooks in one "
                         "process; start them with `dask worker ADDRESS --nthreads 1`")
    address = str(address)
    if address.startswith("tcp://") and not address[6:].startswith(("127.", "localhost", "[::1]")):
        notes.append(f"note: {address} is plain tcp://: anyone who reaches it can run code on its workers; "
                     "use tls:// (distributed.Security) or an SSH tunnel to 127.0.0.1")
    return notes


def _run_on_dask(runs, results_dir, scheduler, timeout_of, kernel_name, finished, meter):
    """Each run a Dask task; the timeout is enforced in the task (its kernel is killed)."""
    owned = isinstance(scheduler, str)
    client = connect_scheduler(scheduler) if owned else scheduler
    # A concurrent.futures view of the client: each submit is a client.submit of execute_run.
    executor = client.get_executor(pure=False)
    futures = {}
    try:
        futures = {executor.submit(execute_run, run, str(results_dir), kernel_name, timeout_of(run)): run
                   for run in runs}
        pending = set(futures)
        while pending:
            done, pending = cf.wait(pending, timeout=meter.tick_seconds, return_when=cf.FIRST_COMPLETED)
            for future in done:
                finished(_outcome(future, futures[future], results_dir))
            meter.tick()
    except KeyboardInterrupt:
        for future in futures:
            future.cancel()
        raise
    finally:
        executor.shutdown(wait=False)
        if owned:
            client.close()


def _outcome(future, run, results_dir):
    try:
        return future.result()
    except Exception as error:  # the worker itself died: still a clear failure of this run
        message = f"{type(error).__name__}: {error} (the worker running it failed)"
        with contextlib.suppress(OSError):
            records.mark_failed(run.folder(results_dir), run, message)
        return Outcome(run, "failed", error=message)


class Progress:
    """Progress of a batch: a tqdm bar on a terminal, one line per finished run in a log.

    A run's duration is modelled as ``overhead + rate * weight`` (``weight:`` in
    a plan, e.g. its epochs), fitted to the runs finished so far: a 20-epoch
    run also pays for its kernel start-up and data loading, so it is not a
    tenth of a 200-epoch run. The time left extrapolates the elapsed time by
    the share of that modelled work still to do.
    """

    def __init__(self, runs, stream, enabled=True):
        from tqdm.auto import tqdm

        self.stream, self.enabled = stream, enabled
        self.total_runs = len(runs)
        self.pending_weight = sum(run.weight for run in runs)
        self.done = []  # (weight, seconds) of every finished run
        self.start = time.perf_counter()
        self.last_tick = self.start
        interactive = enabled and getattr(stream, "isatty", lambda: False)()
        # A log (nohup, CI) gets whole lines, not carriage-return redraws.
        self.tick_seconds = 1.0 if interactive else 60.0
        self.bar = tqdm(total=100, file=stream, desc=f"0/{self.total_runs} runs", postfix="",
                        bar_format="{desc} {percentage:3.0f}%|{bar:24}| {elapsed} elapsed{postfix}"
                        ) if interactive else None

    def cost_model(self):
        """``(overhead, rate)`` in seconds, fitted to the finished runs; ``(0, 1)`` until two weights differ."""
        if len({weight for weight, _ in self.done}) < 2:
            return 0.0, 1.0
        weights, seconds = np.array(self.done, dtype=float).T
        rate, overhead = np.polyfit(weights, seconds, 1)
        overhead, rate = max(float(overhead), 0.0), max(float(rate), 0.0)
        return (overhead, rate) if overhead or rate else (0.0, 1.0)

    def fraction_done(self):
        """Share of the modelled work that is finished, in [0, 1]."""
        overhead, rate = self.cost_model()
        done = sum(overhead + rate * weight for weight, _ in self.done)
        pending = overhead * (self.total_runs - len(self.done)) + rate * self.pending_weight
        return done / (done + pending) if done + pending else 1.0

    def time_left(self):
        """Seconds left (``None`` before the first run ends)."""
        fraction = self.fraction_done() if self.done else 0.0
        if not fraction:
            return None
        return (time.perf_counter() - self.start) * (1 - fraction) / fraction

    def finished(self, outcome):
        self.done.append((outcome.run.weight, outcome.seconds))
        self.pending_weight -= outcome.run.weight
        left = self.time_left()
        left = f"~{_duration(left)} left" if left is not None else "? left"
        line = _outcome_line(outcome)
        if self.bar is not None:
            self.bar.n = round(100 * self.fraction_done(), 1)
            self.bar.set_description_str(f"{len(self.done)}/{self.total_runs} runs", refresh=False)
            self.bar.set_postfix_str(left, refresh=False)  # tqdm puts ", " before it
            self.bar.write(line, file=self.stream)
            self.bar.refresh()
        elif self.enabled:
            print(f"[{len(self.done)}/{self.total_runs} runs, "
                  f"{_duration(time.perf_counter() - self.start)} elapsed, {left}] {line}",
                  file=self.stream, flush=True)

    def tick(self):
        now = time.perf_counter()
        if self.bar is not None and now - self.last_tick >= self.tick_seconds:
            self.last_tick = now
            self.bar.refresh()

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _outcome_line(outcome):
    run = outcome.run
    if outcome.status == "ok":
        accuracy = outcome.metrics.get("test_accuracy")
        detail = f", test accuracy {accuracy:.2%}" if isinstance(accuracy, (int, float)) else ""
        return f"done   {run.plan}/{run.run_id} in {_duration(outcome.seconds)}{detail}"
    return f"FAILED {run.plan}/{run.run_id} after {_duration(outcome.seconds)}: {outcome.error}"


def longest_first(runs):
    """``runs`` with the heaviest first (by their plan's ``weight``; ties keep their order).

    Started in this order, the longest run does not begin last while the other
    jobs sit idle: with two jobs the book's table, whose 250-epoch row takes
    about as long as four of the 20-epoch rows, ends sooner.
    """
    return sorted(runs, key=lambda run: -run.weight)


def plan_runs(plan_paths, seeds=None):
    """Read and check every plan; return all their runs (only those of ``seeds``, if given).

    Raises
    ------
    helpers.batch.runplan.PlanError
        With every problem of every plan (one line each), before anything runs.
    """
    plans, problems = [], []
    for path in plan_paths:
        try:
            plans.append(runplan.load_plan(path))
        except runplan.PlanError as error:
            problems += error.problems
    names = [plan.name for plan in plans]
    for name in sorted({name for name in names if names.count(name) > 1}):
        paths = ", ".join(str(plan.path) for plan in plans if plan.name == name)
        problems.append(f"{paths}: two plans are named {name!r}: their results would share a folder")
    if problems:
        raise runplan.PlanError(problems)
    runs = [run for plan in plans for run in plan.runs()]
    if seeds is not None:
        runs = [run for run in runs if run.parameters.get(runplan.SEED_PARAMETER) in seeds]
    return runs


@contextlib.contextmanager
def _sigterm_interrupts():
    """While running, SIGTERM stops the batch like Ctrl-C: workers and kernels killed, lock released."""
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


HELP_EPILOG = """\
finished runs:
  A run is finished only when its run.json is complete and readable, says ok, holds the plan's
  parameters, and its metrics.json is readable. Everything else runs again, and torn or
  interrupted records are named. Finished runs recorded by another code version (git commit +
  digest of uncommitted changes) are kept unless --rerun-stale.

one runner per results folder:
  DIR/batch.lock names the runner holding DIR (pid, host); a second runner stops. A lock left
  by a process that no longer runs on this host is taken over, with a note.

Dask:
  Workers need this project at the same path, the same results folder (shared file system),
  and one thread each: `dask worker tls://HOST:8786 --nthreads 1 [--nworkers N]`.
  A tcp:// scheduler that others can reach lets them run their code on its workers: use TLS
  (tls:// addresses; distributed.Security, or the distributed.comm.tls Dask configuration)
  or keep the scheduler on 127.0.0.1 and reach it through an SSH tunnel
  (ssh -L 8786:127.0.0.1:8786 HOST, then --scheduler tcp://127.0.0.1:8786).

exit codes:
  0 every run finished; 1 some run failed; 2 nothing ran (bad plan, results folder in use,
  scheduler out of reach); 130 interrupted.
"""


def _seed_list(text):
    """'0,1' -> {0, 1}; anything but non-negative whole numbers is an error."""
    try:
        seeds = {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        seeds = set()
    if not seeds or min(seeds) < 0:
        raise argparse.ArgumentTypeError(f"--seeds must be whole numbers >= 0 separated by commas, got {text!r}")
    return seeds


#: Keras backends a batch can run on (the notebooks that teach tf.GradientTape need tensorflow).
BACKENDS = ("tensorflow", "jax")


def missing_backend(backend):
    """True if the package of Keras backend ``backend`` is not installed (JAX is an optional extra)."""
    return importlib.util.find_spec(backend) is None


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m helpers.batch",
        description="Execute notebook run plans with papermill: checked first, resumable, "
                    "in parallel or on Dask.",
        epilog=HELP_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plans", nargs="+", metavar="PLAN.yaml", help="run plan file(s)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="runs executed at once, each in its own local worker process (default 1)")
    parser.add_argument("--results", metavar="DIR",
                        help="results folder (default: results, or results-BACKEND for another backend)")
    parser.add_argument("--backend", choices=BACKENDS, default=os.environ.get("KERAS_BACKEND", "tensorflow"),
                        help="Keras backend the notebooks' kernels use (sets KERAS_BACKEND for them; "
                             "default: $KERAS_BACKEND or tensorflow). Dask workers must be started with "
                             "the same KERAS_BACKEND.")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="kill a run that takes longer (its kernel too), record it as failed "
                             "('timed out after N s') and go on; default: 120 s + 30 s per unit of "
                             "the run's weight (weight: in its plan, e.g. 20 epochs give 720 s), "
                             "1 hour for a plan without weight:; 0 for no limit")
    parser.add_argument("--rerun-stale", action="store_true",
                        help="also run again finished runs recorded by another code version "
                             "(by default they are reported and kept)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler address, e.g. tls://HOST:8786 or, through an SSH tunnel, "
                             "tcp://127.0.0.1:8786: run on that cluster (workers with --nthreads 1; "
                             "see below)")
    parser.add_argument("--seeds", type=_seed_list, metavar="0,1",
                        help="run only the plans' runs with these seeds (e.g. --seeds 0 for one seed per setting)")
    parser.add_argument("--dry-run", action="store_true", help="list the runs and whether they are done")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar or per-run lines")
    return parser


def main(argv=None):
    """Command line: ``python -m helpers.batch PLAN.yaml [...] --jobs N --results DIR``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.timeout is not None and not args.timeout >= 0:
        parser.error(f"--timeout must be a number of seconds >= 0, got {args.timeout:g}")
    if missing_backend(args.backend) and not (args.dry_run or args.scheduler):
        parser.error(f"--backend {args.backend} needs the {args.backend!r} package, which this environment lacks: "
                     f"`make {args.backend}` installs it (pip install -r requirements/{args.backend}.txt)")

    def say(line):
        print(line, file=sys.stderr, flush=True)

    # Kernels inherit the environment of the worker that starts them.
    os.environ["KERAS_BACKEND"] = args.backend
    if args.results is None:
        args.results = "results" if args.backend == "tensorflow" else f"results-{args.backend}"
    try:
        runs = plan_runs(args.plans, args.seeds)
    except runplan.PlanError as error:
        for line in error.problems:
            say(f"error: {line}")
        return 2
    results = Path(args.results)
    where = f"Dask scheduler {args.scheduler}" if args.scheduler else f"{args.jobs} local job(s)"

    def header(resume):
        say(f"{len(runs)} runs in {len(args.plans)} plan(s): {len(resume.kept)} already done, "
            f"{len(resume.todo)} to run on {where}; results in {results}/")
        for line in resume.notes():
            say(line)

    if args.dry_run:
        resume = survey(runs, results, args.rerun_stale)
        header(resume)
        busy = ResultsLock(results).busy() if results.is_dir() else ""
        if busy:
            say(f"note: {busy}")
        for run in runs:
            print(f"{resume.label(run):7} {run.plan}/{run.run_id}  {run.parameters}")
        return 0

    client = None
    try:
        if args.scheduler:  # before the lock: an unreachable scheduler leaves no trace
            client = connect_scheduler(args.scheduler)
            for line in scheduler_notes(client, args.scheduler):
                say(line)
        with ResultsLock(results) as lock:
            if lock.note:
                say(lock.note)
            resume = survey(runs, results, args.rerun_stale)
            header(resume)
            with _sigterm_interrupts():
                report = run_batch(runs, results, jobs=args.jobs, scheduler=client,
                                   progress=not args.no_progress, timeout=args.timeout,
                                   rerun_stale=args.rerun_stale, resume=resume)
    except (LockError, SchedulerError) as error:
        say(f"error: {error}")
        return 2
    finally:
        if client is not None:
            client.close()
    say(report.summary())
    if report.with_status("failed"):
        say(report.failures())
        say("Finished runs are kept; fix the cause and run the same command again "
            "(finished runs are skipped).")
    if report.interrupted:
        return 130
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
