"""The command line: ``python -m helpers.batch PLAN.yaml [...] --jobs N --results DIR``.

What a batch does (resume, the lock, timeouts, local runs, Dask) is told in
:mod:`helpers.batch.runner`; ``--help`` says it in short. Dask is imported only
with ``--scheduler``.
"""

import argparse
import importlib.util
import os
import sys
from pathlib import Path

from helpers.batch import runplan
from helpers.batch.cluster import SchedulerError, connect_scheduler, scheduler_notes
from helpers.batch.locking import LockError, ResultsLock
from helpers.batch.processes import sigterm_raises_keyboard_interrupt
from helpers.batch.resume import survey
from helpers.batch.runner import plan_runs, run_batch

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


def _parse_seeds(text):
    """``--seeds``: '0,1' -> {0, 1}; anything but non-negative whole numbers is an error."""
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
    """True if the package of Keras backend ``backend`` is not installed (JAX is an optional extra).

    Parameters
    ----------
    backend : str
        One of :data:`BACKENDS`.

    Returns
    -------
    bool
    """
    return importlib.util.find_spec(backend) is None


def _build_parser():
    """The argument parser of ``python -m helpers.batch``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.batch",
        description="Execute notebook run plans with papermill: checked first, resumable, in parallel or on Dask.",
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("plans", nargs="+", metavar="PLAN.yaml", help="run plan file(s)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="runs executed at once, each in its own local worker process (default 1)",
    )
    parser.add_argument(
        "--results", metavar="DIR", help="results folder (default: results, or results-BACKEND for another backend)"
    )
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=os.environ.get("KERAS_BACKEND", "tensorflow"),
        help="Keras backend the notebooks' kernels use (sets KERAS_BACKEND for them; "
        "default: $KERAS_BACKEND or tensorflow). Dask workers must be started with "
        "the same KERAS_BACKEND.",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="kill a run that takes longer (its kernel too), record it as failed "
        "('timed out after N s') and go on; default: 120 s + 30 s per unit of "
        "the run's weight (weight: in its plan, e.g. 20 epochs give 720 s), "
        "1 hour for a plan without weight:; 0 for no limit",
    )
    parser.add_argument(
        "--rerun-stale",
        action="store_true",
        help="also run again finished runs recorded by another code version (by default they are reported and kept)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tls://HOST:8786 or, through an SSH tunnel, "
        "tcp://127.0.0.1:8786: run on that cluster (workers with --nthreads 1; "
        "see below)",
    )
    parser.add_argument(
        "--seeds",
        type=_parse_seeds,
        metavar="0,1",
        help="run only the plans' runs with these seeds (e.g. --seeds 0 for one seed per setting)",
    )
    parser.add_argument("--dry-run", action="store_true", help="list the runs and whether they are done")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar or per-run lines")
    return parser


def main(argv=None):
    """Command line: ``python -m helpers.batch PLAN.yaml [...] --jobs N --results DIR``.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code: 0 every run finished, 1 some run failed, 2 nothing ran
        (a bad plan, a results folder in use, a scheduler out of reach), 130 interrupted.

    Raises
    ------
    SystemExit
        From argparse, for ``--help`` (code 0) and bad arguments (code 2, with the message).
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.timeout is not None and not args.timeout >= 0:
        parser.error(f"--timeout must be a number of seconds >= 0, got {args.timeout:g}")
    if missing_backend(args.backend) and not (args.dry_run or args.scheduler):
        parser.error(
            f"--backend {args.backend} needs the {args.backend!r} package, which this environment lacks: "
            f"`make {args.backend}` installs it (pip install -r requirements/{args.backend}.txt)"
        )

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
        say(
            f"{len(runs)} runs in {len(args.plans)} plan(s): {len(resume.kept)} already done, "
            f"{len(resume.todo)} to run on {where}; results in {results}/"
        )
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
            with sigterm_raises_keyboard_interrupt():
                report = run_batch(
                    runs,
                    results,
                    jobs=args.jobs,
                    scheduler=client,
                    progress=not args.no_progress,
                    timeout=args.timeout,
                    rerun_stale=args.rerun_stale,
                    resume=resume,
                )
    except (LockError, SchedulerError) as error:
        say(f"error: {error}")
        return 2
    finally:
        if client is not None:
            client.close()
    say(report.summary())
    if report.with_status("failed"):
        say(report.failures())
        say("Finished runs are kept; fix the cause and run the same command again (finished runs are skipped).")
    if report.interrupted:
        return 130
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
