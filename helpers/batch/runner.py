"""Run plans in batch: every run executed with papermill, kept, resumable, parallel or on Dask.

From the project's folder::

    python -m helpers.batch plans/table.yaml --jobs 2 --results results
    python -m helpers.batch plans/*.yaml --dry-run          # what would run, what is done
    python -m helpers.batch plans/dropout.yaml --scheduler tcp://10.0.0.5:8786

Each run leaves a folder ``RESULTS/<plan>/<run-id>/`` with the executed notebook
(all its figures), ``metrics.json`` (written by the notebook at ``METRICS_PATH``)
and ``run.json`` (the runner's record: parameters, status, wall time, error).
A run is finished when its ``metrics.json`` exists and its record says ``ok``:
running the same command again skips finished runs and retries the others.

Runs go to local worker processes (``--jobs N``), or to a Dask distributed
cluster (``--scheduler ADDRESS``) whose workers have this project installed and
see the same paths (a shared file system), since they write the results folder.
"""

import argparse
import concurrent.futures as cf
import contextlib
import hashlib
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from helpers.batch import runplan

METRICS_FILE = "metrics.json"
RECORD_FILE = "run.json"
#: The kernel's own standard output and error (TensorFlow's C++ log lines, crash messages).
KERNEL_LOG_FILE = "kernel.log"
#: Where the metrics of a failed run are moved, so a resume reruns it.
INCOMPLETE_METRICS_FILE = "metrics-incomplete.json"

# Set in the runner's own worker processes, which run one notebook at a time and
# may therefore point their file descriptors at the run's log (not in Dask threads).
_REDIRECT_KERNEL_OUTPUT = False


def _init_worker():
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


@dataclass
class Outcome:
    """What happened to one run."""

    run: runplan.Run
    status: str  # "ok", "failed" or "skipped" (finished by an earlier invocation)
    seconds: float = 0.0
    error: str = ""
    notebook: str = ""
    metrics: dict = field(default_factory=dict)


def read_record(folder):
    """The runner's record of the run in ``folder`` (a dict), or ``None``."""
    path = Path(folder) / RECORD_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def is_finished(folder, parameters=None):
    """True if the run in ``folder`` finished: metrics written and not marked failed.

    A folder with a ``metrics.json`` but no record (a notebook run by hand into
    the results folder) counts as finished. With ``parameters``, a run recorded
    with other parameters (the plan changed since) does not.
    """
    folder = Path(folder)
    if not (folder / METRICS_FILE).is_file():
        return False
    record = read_record(folder)
    if record is None:
        return True
    if record.get("status") != "ok":
        return False
    return parameters is None or record.get("parameters") == parameters


def execute_run(run, results_dir, kernel_name="python3"):
    """Execute one run with papermill and record what happened; never raises.

    Parameters
    ----------
    run : helpers.batch.runplan.Run
    results_dir : str
        Absolute path of the results folder (on a Dask worker: as that worker sees it).
    kernel_name : str
        Jupyter kernel that executes the notebook.

    Returns
    -------
    Outcome
        ``status`` is ``"ok"`` if the notebook ran to its end and wrote its
        metrics, else ``"failed"`` with the error and the executed notebook's
        path (it shows the failing cell and its traceback).
    """
    import papermill  # here, not at import time: workers import it once, `--help` stays quick

    folder = run.folder(results_dir)
    folder.mkdir(parents=True, exist_ok=True)
    metrics_path = folder / METRICS_FILE
    executed = folder / Path(run.notebook).name
    for stale in (metrics_path, folder / INCOMPLETE_METRICS_FILE, folder / KERNEL_LOG_FILE):
        stale.unlink(missing_ok=True)
    record = {
        "plan": run.plan, "run_id": run.run_id, "variant": run.variant,
        "notebook": run.notebook, "parameters": run.parameters, "status": "running",
        "host": socket.gethostname(), "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "code_version": code_version(Path(run.notebook).parent),
    }
    _write_json(folder / RECORD_FILE, record)

    start = time.perf_counter()
    error = ""
    try:
        if not Path(run.notebook).is_file():
            raise FileNotFoundError(f"notebook {run.notebook} not found on {socket.gethostname()} "
                                    "(Dask workers need the project at the same path)")
        with _kernel_output_to(folder / KERNEL_LOG_FILE):
            papermill.execute_notebook(
                run.notebook, str(executed),
                parameters={**run.parameters, "METRICS_PATH": str(metrics_path)},
                kernel_name=kernel_name, progress_bar=False, log_output=False,
                # The kernel starts in the notebook's folder. Not papermill's `cwd=`:
                # that changes the whole process's folder, which threads (Dask) share.
                resources={"metadata": {"path": str(Path(run.notebook).parent)}},
            )
        if not metrics_path.is_file():
            error = f"the notebook ran to its end but wrote no metrics at METRICS_PATH ({metrics_path})"
    except papermill.PapermillExecutionError as failure:
        error = f"{failure.ename}: {failure.evalue} (in cell [{failure.exec_count}])"
    except Exception as failure:  # a kernel that died, a missing file: report it, keep going
        error = f"{type(failure).__name__}: {failure}"
    seconds = time.perf_counter() - start

    metrics = {}
    if error and metrics_path.is_file():
        metrics_path.rename(folder / INCOMPLETE_METRICS_FILE)
    elif not error:
        metrics = json.loads(metrics_path.read_text())
    record.update(status="failed" if error else "ok", seconds=round(seconds, 2), error=error,
                  finished=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    _write_json(folder / RECORD_FILE, record)
    return Outcome(run, record["status"], seconds, error, str(executed), metrics)


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


def _write_json(path, content):
    path.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n")


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
            if outcome.notebook:
                lines.append(f"  executed notebook: {_relative(outcome.notebook)}")
                log = Path(outcome.notebook).parent / KERNEL_LOG_FILE
                if "DeadKernel" in outcome.error and log.is_file():
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


def run_batch(runs, results_dir, jobs=1, scheduler=None, progress=True, stream=None):
    """Execute every unfinished run, several at once, and report what happened.

    Parameters
    ----------
    runs : list of helpers.batch.runplan.Run
    results_dir : str or Path
        Results folder; each run writes ``<results_dir>/<plan>/<run-id>/``.
    jobs : int
        Runs executed at once by local worker processes (ignored with ``scheduler``).
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``tcp://host:8786``) or a connected client:
        the runs go to that cluster's workers instead of local processes.
    progress : bool
        Show a progress bar with the time left (estimated from the runs'
        weights) and a line per finished run.
    stream : file, optional
        Where progress and per-run lines go (default: standard error).

    Returns
    -------
    BatchReport
        Finished, skipped and failed runs; a failed run never stops the others.
    """
    stream = stream or sys.stderr
    results_dir = Path(results_dir).resolve()
    start = time.perf_counter()
    report = BatchReport([])
    todo = []
    for run in runs:
        if is_finished(run.folder(results_dir), run.parameters):
            report.outcomes.append(Outcome(run, "skipped"))
        else:
            todo.append(run)
    if not todo:
        report.seconds = time.perf_counter() - start
        return report

    executor, close = _executor(jobs, scheduler)
    meter = Progress(todo, stream, enabled=progress)
    futures = {}
    try:
        futures = {executor.submit(execute_run, run, str(results_dir)): run for run in todo}
        pending = set(futures)
        while pending:
            done, pending = cf.wait(pending, timeout=meter.tick_seconds, return_when=cf.FIRST_COMPLETED)
            for future in done:
                outcome = _outcome(future, futures[future])
                report.outcomes.append(outcome)
                meter.finished(outcome)
            meter.tick()
    except KeyboardInterrupt:
        report.interrupted = True
        for future in futures:
            future.cancel()
    finally:
        meter.close()
        close(cancel=report.interrupted)
    report.seconds = time.perf_counter() - start
    return report


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
        if self.bar is not None:
            self.bar.refresh()

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _outcome(future, run):
    try:
        return future.result()
    except Exception as error:  # the worker itself died: still a clear failure of this run
        return Outcome(run, "failed", error=f"{type(error).__name__}: {error} (the worker running it failed)")


def _outcome_line(outcome):
    run = outcome.run
    if outcome.status == "ok":
        accuracy = outcome.metrics.get("test_accuracy")
        detail = f", test accuracy {accuracy:.2%}" if isinstance(accuracy, (int, float)) else ""
        return f"done   {run.plan}/{run.run_id} in {_duration(outcome.seconds)}{detail}"
    return f"FAILED {run.plan}/{run.run_id} after {_duration(outcome.seconds)}: {outcome.error}"


def _executor(jobs, scheduler):
    """An executor for the runs and a function that closes it."""
    if scheduler is None:
        if int(jobs) < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs}")
        # Fresh interpreters (spawn): no inherited threads or TensorFlow state.
        pool = cf.ProcessPoolExecutor(max_workers=int(jobs), initializer=_init_worker,
                                      mp_context=multiprocessing.get_context("spawn"))
        return pool, lambda cancel: pool.shutdown(wait=True, cancel_futures=cancel)
    from distributed import Client

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    # A concurrent.futures view of the client: each submit is a client.submit of execute_run.
    executor = client.get_executor(pure=False)

    def close(cancel):
        executor.shutdown(wait=not cancel)
        if client is not scheduler:
            client.close()

    return executor, close


def load_runs(plan_paths):
    """Read and check every plan; return all their runs.

    Raises
    ------
    helpers.batch.runplan.PlanError
        With every problem of every plan, before anything runs.
    """
    plans, problems = [], []
    for path in plan_paths:
        try:
            plans.append(runplan.load_plan(path))
        except runplan.PlanError as error:
            problems.append(str(error))
    names = [plan.name for plan in plans]
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(f"two plans are named {name!r}: their results would share a folder")
    if problems:
        raise runplan.PlanError("\n".join(problems))
    return [run for plan in plans for run in plan.runs()]


def main(argv=None):
    """Command line: ``python -m helpers.batch PLAN.yaml [...] --jobs N --results DIR``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.batch",
        description="Execute notebook run plans with papermill: resumable, in parallel or on Dask.")
    parser.add_argument("plans", nargs="+", metavar="PLAN.yaml", help="run plan file(s)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="runs executed at once by local processes (default 1)")
    parser.add_argument("--results", default="results", metavar="DIR",
                        help="results folder (default: results)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler address, e.g. tcp://127.0.0.1:8786: run on that cluster")
    parser.add_argument("--dry-run", action="store_true", help="list the runs and whether they are done")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar or per-run lines")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")

    try:
        runs = load_runs(args.plans)
    except runplan.PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    results = Path(args.results)
    done = sum(is_finished(run.folder(results), run.parameters) for run in runs)
    where = f"Dask scheduler {args.scheduler}" if args.scheduler else f"{args.jobs} local job(s)"
    print(f"{len(runs)} runs in {len(args.plans)} plan(s): {done} already done, "
          f"{len(runs) - done} to run on {where}; results in {results}/", file=sys.stderr)
    if args.dry_run:
        for run in runs:
            state = "done" if is_finished(run.folder(results), run.parameters) else "to run"
            print(f"{state:7} {run.plan}/{run.run_id}  {run.parameters}")
        return 0

    report = run_batch(runs, results, jobs=args.jobs, scheduler=args.scheduler,
                       progress=not args.no_progress)
    print(report.summary(), file=sys.stderr)
    if report.with_status("failed"):
        print(report.failures(), file=sys.stderr)
        print("Finished runs are kept; fix the cause and run the same command again "
              "(finished runs are skipped).", file=sys.stderr)
    if report.interrupted:
        return 130
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
