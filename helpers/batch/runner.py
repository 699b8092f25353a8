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

Where the code lives
    This module runs a batch (:func:`run_batch`) and reads its plans
    (:func:`plan_runs`). One run under papermill: :mod:`helpers.batch.execution`;
    local worker processes: :mod:`helpers.batch.local`; Dask:
    :mod:`helpers.batch.cluster`; the lock: :mod:`helpers.batch.locking`;
    resuming: :mod:`helpers.batch.resume`; progress and the final report:
    :mod:`helpers.batch.progress`; the command line: :mod:`helpers.batch.cli`.
"""

import sys
import time
from pathlib import Path

from helpers.batch import plan_file, runplan
from helpers.batch.cluster import run_on_dask
from helpers.batch.execution import Outcome, run_timeout
from helpers.batch.local import run_locally
from helpers.batch.locking import ResultsLock
from helpers.batch.progress import BatchReport, Progress
from helpers.batch.resume import survey


def run_batch(
    runs,
    results_dir,
    jobs=1,
    scheduler=None,
    progress=True,
    stream=None,
    timeout=None,
    rerun_stale=False,
    resume=None,
    kernel_name="python3",
):
    """Execute every unfinished run, several at once, and report what happened.

    Parameters
    ----------
    runs : list of helpers.batch.runplan.Run
    results_dir : str or Path
        Results folder; each run writes ``<results_dir>/<plan>/<run-id>/``. The
        folder is locked while the batch runs (:class:`helpers.batch.locking.ResultsLock`).
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
        :func:`helpers.batch.execution.default_timeout` of each run.
    rerun_stale : bool
        Also run again finished runs recorded by another code version.
    resume : helpers.batch.resume.Resume, optional
        What :func:`helpers.batch.resume.survey` found, if the caller already looked (under the lock).
    kernel_name : str
        Jupyter kernel that executes the notebooks.

    Returns
    -------
    helpers.batch.progress.BatchReport
        Finished, skipped and failed runs; a failed run never stops the others.

    Raises
    ------
    helpers.batch.locking.LockError
        If another runner holds the results folder.
    helpers.batch.cluster.SchedulerError
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
                run_locally(todo, results_dir, int(jobs), timeout_of, kernel_name, finished, meter.tick)
            else:
                run_on_dask(todo, results_dir, scheduler, timeout_of, kernel_name, finished, meter)
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            meter.close()
    report.seconds = time.perf_counter() - start
    return report


def longest_first(runs):
    """``runs`` with the heaviest first (by their plan's ``weight``; ties keep their order).

    Started in this order, the longest run does not begin last while the other
    jobs sit idle: with two jobs the book's table, whose 250-epoch row takes
    about as long as four of the 20-epoch rows, ends sooner.

    Parameters
    ----------
    runs : list of helpers.batch.runplan.Run

    Returns
    -------
    list of helpers.batch.runplan.Run
    """
    return sorted(runs, key=lambda run: -run.weight)


def plan_runs(plan_paths, seeds=None):
    """Read and check every plan; return all their runs (only those of ``seeds``, if given).

    Parameters
    ----------
    plan_paths : list of str or Path
        Run plan files (YAML).
    seeds : set of int, optional
        Keep only the runs whose seed parameter is one of these.

    Returns
    -------
    list of helpers.batch.runplan.Run
        In plan order, then each plan's own order.

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
        runs = [run for run in runs if run.parameters.get(plan_file.SEED_PARAMETER) in seeds]
    return runs
