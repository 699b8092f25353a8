"""Saved batch results: load them, average over seeds, set them beside the book's numbers.

A results folder is what :mod:`helpers.batch.runner` writes: ``<plan>/<run-id>/metrics.json``
(the notebook's final numbers) next to ``run.json`` (the runner's record), both read
through :mod:`helpers.batch.records`. Every
function here works on plain lists of dicts, so it is tested on tiny synthetic
folders and used the same way from a notebook or a script.
"""

import math
from pathlib import Path

import numpy as np

from helpers.batch import records

# The book's table and experiments, and their figures, are part of this module's interface
# (notebooks call results.BOOK_TABLE, results.plot_experiment, ...); they live in modules of their own.
from helpers.batch.book_table import (  # noqa: F401
    BOOK_TABLE,
    CONTROL_VARIANTS,
    DROPOUT_PAIRS,
    EXPERIMENTS,
    EXPERIMENTS_BY_PLAN,
    TABLE_VARIANTS,
    BookRow,
    Experiment,
)
from helpers.batch.result_figures import plot_comparison, plot_experiment  # noqa: F401
from helpers.core import tables
from helpers.figures import plotting

ROOT = Path(__file__).resolve().parents[2]
#: Where ``make reproduce`` writes.
RESULTS_DIR = ROOT / "results"
#: The metrics of one full ``make reproduce`` on a 2-core machine, kept with the project.
STORED_RESULTS_DIR = ROOT / "data" / "reproduction"
#: The book's table on Keras' JAX backend (one seed per row), stored the same way.
STORED_JAX_RESULTS_DIR = ROOT / "data" / "reproduction-jax"
#: Real metrics of small runs (a few epochs, 2,000 images): what the tests read.
SAMPLE_RESULTS_DIR = ROOT / "tests" / "data" / "results_sample"


def has_results(folder):
    """Whether ``folder`` holds at least one run's ``metrics.json``.

    Parameters
    ----------
    folder : str or Path
        A results folder (``plan/run-id/metrics.json`` below it).

    Returns
    -------
    bool
    """
    return Path(folder).is_dir() and any(Path(folder).glob(f"*/*/{records.METRICS_FILE}"))


def resolve_results_dir(value=""):
    """The folder a results notebook reads.

    Parameters
    ----------
    value : str or Path
        A folder (relative paths are taken from the project's folder), or ``""``
        for the first of: ``results/`` if it holds results, the stored full
        reproduction, the stored sample of small runs.

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    FileNotFoundError
        If the named folder does not exist, or (``""``) none of the three holds results.
    """
    if value:
        folder = Path(value)
        folder = folder if folder.is_absolute() else ROOT / folder
        if not folder.is_dir():
            raise FileNotFoundError(
                f"results folder {folder} not found; run `make reproduce` "
                "or set RESULTS_DIR to a folder that `python -m helpers.batch` wrote"
            )
        return folder
    for folder in (RESULTS_DIR, STORED_RESULTS_DIR, SAMPLE_RESULTS_DIR):
        if has_results(folder):
            return folder
    raise FileNotFoundError("no results anywhere: run `make reproduce` first")


def relative(path):
    """``path`` relative to the project's folder when it is inside it (shorter to print).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Path
    """
    path = Path(path)
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def load_runs(folder):
    """Every finished run of a results folder, as flat dicts.

    Parameters
    ----------
    folder : str or Path
        A folder written by :mod:`helpers.batch.runner`.

    Returns
    -------
    list of dict
        One dict per finished run: ``plan``, ``run_id``, ``variant``,
        ``wall_seconds`` (the whole notebook, from the runner's record),
        ``code_version`` (the project's commit the run used, if recorded), then
        every value of its ``metrics.json``. Failed, unfinished and torn runs
        (see :func:`helpers.batch.records.run_state`) are left out.
    """
    runs = []
    for path in sorted(Path(folder).glob(f"*/*/{records.METRICS_FILE}")):
        run_folder = path.parent
        state = records.run_state(run_folder)
        if not state.finished:
            continue
        record = state.record
        runs.append(
            {
                "plan": run_folder.parent.name,
                "run_id": run_folder.name,
                "variant": record.get("variant", ""),
                "wall_seconds": record.get("seconds"),
                "code_version": record.get("code_version"),
                # Runs recorded before the backend was recorded ran on TensorFlow.
                "backend": state.metrics.get("backend") or record.get("backend") or "tensorflow",
                **state.metrics,
            }
        )
    return runs


def mean_std(values):
    """Mean and sample standard deviation (n - 1) of the values that are not None.

    Parameters
    ----------
    values : iterable of float or None

    Returns
    -------
    mean : float
        NaN without values.
    std : float
        NaN for fewer than two values.
    """
    values = np.asarray([value for value in values if value is not None], dtype=float)
    if not len(values):
        return math.nan, math.nan
    return float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else math.nan


def aggregate(runs, by, metrics=("train_accuracy", "val_accuracy", "test_accuracy", "seconds_per_epoch")):
    """Group runs that share the values of ``by`` and average each metric over the group.

    Parameters
    ----------
    runs : list of dict
        As from :func:`load_runs`.
    by : sequence of str
        Keys whose values define a group (e.g. ``("plan", "dropout")``); the
        runs of a group normally differ only by their seed.
    metrics : sequence of str
        Keys to average.

    Returns
    -------
    list of dict
        One dict per group, in order of first appearance: the ``by`` values,
        ``runs`` (how many), ``seeds`` (sorted), and ``<metric>_mean``,
        ``<metric>_std`` for every metric.
    """
    groups = {}
    for run in runs:
        groups.setdefault(tuple(run.get(key) for key in by), []).append(run)
    rows = []
    for key, members in groups.items():
        row = dict(zip(by, key))
        row["runs"] = len(members)
        row["seeds"] = sorted(run.get("seed") for run in members if run.get("seed") is not None)
        for metric in metrics:
            row[f"{metric}_mean"], row[f"{metric}_std"] = mean_std(run.get(metric) for run in members)
        rows.append(row)
    return rows


def compare_with_book(runs, plan="table", tolerance=0.5):
    """The book's table beside ours: one dict per book row.

    Parameters
    ----------
    runs : list of dict
        As from :func:`load_runs`; the runs of ``plan`` whose variant is a
        row's key are that row's.
    plan : str
        The plan that ran the table.
    tolerance : float
        Points of test accuracy within which a row counts as reproduced.

    Returns
    -------
    list of dict
        Per row: the :class:`BookRow` fields, ``ours_<train|validation|test>``
        and ``ours_<...>_std`` in percent (NaN without runs), ``runs``,
        ``difference`` (ours minus the book's test accuracy, in points),
        ``reproduced`` (``None`` without runs), ``our_epochs`` and
        ``our_train_samples`` (to spot runs not made with the book's settings),
        ``seconds_per_epoch`` and ``wall_minutes`` (summed over the row's runs).
    """
    table_runs = [run for run in runs if run["plan"] == plan]
    rows = []
    for book in BOOK_TABLE:
        members = [run for run in table_runs if run.get("variant") == book.key]
        (row,) = aggregate(members, by=()) if members else [{"runs": 0}]
        result = {**book.__dict__, "runs": row["runs"], "seeds": row.get("seeds", [])}
        for ours, metric in (("train", "train_accuracy"), ("validation", "val_accuracy"), ("test", "test_accuracy")):
            result[f"ours_{ours}"] = 100 * row.get(f"{metric}_mean", math.nan)
            result[f"ours_{ours}_std"] = 100 * row.get(f"{metric}_std", math.nan)
        result["difference"] = result["ours_test"] - book.test
        result["reproduced"] = abs(result["difference"]) <= tolerance if members else None
        result["our_epochs"] = sorted({run.get("epochs") for run in members})
        result["our_train_samples"] = sorted({run.get("train_samples") for run in members})
        result["seconds_per_epoch"] = row.get("seconds_per_epoch_mean", math.nan)
        result["wall_minutes"] = sum(run.get("wall_seconds") or 0 for run in members) / 60
        result["paths"] = sorted({compile_path(run) for run in members})
        rows.append(result)
    return rows


def dropout_effect(runs, plan="table"):
    """What dropout adds with SGD after 20 and after 250 epochs: the test accuracy without and with it.

    Parameters
    ----------
    runs : list of dict
        As from :func:`load_runs`; the runs of ``plan`` whose variant is in
        :data:`DROPOUT_PAIRS` are used.
    plan : str
        The plan that ran the table.

    Returns
    -------
    list of dict
        One dict per number of epochs, in :data:`DROPOUT_PAIRS`' order: ``epochs``,
        ``without`` and ``with`` (test accuracy in percent, mean over seeds; NaN
        without runs), ``without_std`` and ``with_std``, ``without_runs`` and
        ``with_runs``, and ``difference`` (with minus without, in points).
    """
    rows = []
    for epochs, variants in DROPOUT_PAIRS.items():
        row = {"epochs": epochs}
        for side, variant in zip(("without", "with"), variants):
            members = [run for run in runs if run["plan"] == plan and run.get("variant") == variant]
            mean, std = mean_std(run.get("test_accuracy") for run in members)
            row[side], row[f"{side}_std"], row[f"{side}_runs"] = 100 * mean, 100 * std, len(members)
        row["difference"] = row["with"] - row["without"]
        rows.append(row)
    return rows


def dropout_effect_markdown(rows):
    """:func:`dropout_effect` as a Markdown table (test accuracy in %, mean ± std over seeds).

    Parameters
    ----------
    rows : list of dict
        What :func:`dropout_effect` returns.

    Returns
    -------
    str
    """
    lines = [
        "| epochs of SGD | no dropout (V2) | dropout 0.3 (V3) | dropout's effect (points) | seeds |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        difference = "–" if math.isnan(row["difference"]) else f"{row['difference']:+.2f}"
        lines.append(
            f"| {row['epochs']} | {_percent(row['without'], row['without_std'])} "
            f"| {_percent(row['with'], row['with_std'])} | {difference} "
            f"| {row['without_runs']} + {row['with_runs']} |"
        )
    return "\n".join(lines)


def compile_path(run):
    """How a run trained: backend, batches per call, XLA; e.g. ``"jax, 64 steps/call, XLA"``.

    Keras compiles the training step with XLA on JAX; the notebooks do not ask
    for it on TensorFlow (``make bench`` measured it no faster there).

    Parameters
    ----------
    run : dict
        A run's row (its ``backend`` and ``steps_per_execution``).

    Returns
    -------
    str
    """
    backend = run.get("backend", "tensorflow")
    parts = [backend]
    if run.get("steps_per_execution"):
        parts.append(f"{run['steps_per_execution']} steps/call")
    if backend == "jax":
        parts.append("XLA")
    return ", ".join(parts)


def _percent(mean, std):
    if math.isnan(mean):
        return "–"
    return f"{mean:.2f}" if math.isnan(std) else f"{mean:.2f} ± {std:.2f}"


def comparison_markdown(rows, tolerance=0.5):
    """The comparison with the book as a Markdown table (accuracies in %, ours as mean ± std over seeds).

    Parameters
    ----------
    rows : list of dict
        What :func:`compare_with_book` returns.
    tolerance : float
        Points of test accuracy within which a row counts as reproduced (a column's heading says it).

    Returns
    -------
    str
    """
    lines = [
        "| variant | epochs | book train | book val. | book test | our train | our val. | our test "
        "| test diff. (points) | within ±{:g} | seeds | backend, compile path |".format(tolerance),
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        epochs = str(row["epochs"])
        if row["runs"] and row["our_epochs"] != [row["epochs"]]:
            epochs += f" (ours: {', '.join(map(str, row['our_epochs']))})"
        verdict = {True: "yes", False: "**no**", None: "no runs"}[row["reproduced"]]
        difference = "–" if math.isnan(row["difference"]) else f"{row['difference']:+.2f}"
        lines.append(
            f"| {row['label']} | {epochs} | {row['train']:.2f} | {row['validation']:.2f} | {row['test']:.2f} "
            f"| {_percent(row['ours_train'], row['ours_train_std'])} "
            f"| {_percent(row['ours_validation'], row['ours_validation_std'])} "
            f"| {_percent(row['ours_test'], row['ours_test_std'])} | {difference} | {verdict} | {row['runs']} "
            f"| {'; '.join(row.get('paths', [])) or '–'} |"
        )
    return "\n".join(lines)


def time_split(runs, by=("plan", "variant")):
    """Wall time per group of runs (whole notebooks, as the runner timed them).

    Parameters
    ----------
    runs : list of dict
        The runs' rows (their ``wall_seconds``).
    by : tuple of str
        The keys that make a group.

    Returns
    -------
    list of dict
        ``by`` values, ``runs``, ``minutes`` and ``share`` (of the total), longest first.
    """
    groups = {}
    for run in runs:
        groups.setdefault(tuple(run.get(key) for key in by), []).append(run.get("wall_seconds") or 0.0)
    total = sum(sum(seconds) for seconds in groups.values()) or 1.0
    rows = [
        {**dict(zip(by, key)), "runs": len(seconds), "minutes": sum(seconds) / 60, "share": sum(seconds) / total}
        for key, seconds in groups.items()
    ]
    return sorted(rows, key=lambda row: -row["minutes"])


def experiment_rows(runs, experiment):
    """The runs of ``experiment``'s plan, averaged over seeds, sorted by the varied setting.

    Parameters
    ----------
    runs : list of dict
        Every run's row.
    experiment : Experiment
        Which plan, and the setting it varies.

    Returns
    -------
    list of dict
        One row per value of the setting (see :func:`aggregate`).
    """
    members = [run for run in runs if run["plan"] == experiment.plan]
    return sorted(aggregate(members, by=(experiment.x,)), key=lambda row: row[experiment.x])


def experiment_table(rows, experiment):
    """An experiment's rows as aligned text: setting, seeds, accuracies (mean ± std), seconds per epoch.

    Parameters
    ----------
    rows : list of dict
        What :func:`experiment_rows` returns.
    experiment : Experiment
        The setting varied.

    Returns
    -------
    str
    """

    def percent(row, metric):
        return _percent(100 * row[f"{metric}_mean"], 100 * row[f"{metric}_std"])

    lines = [
        {
            experiment.x: f"{row[experiment.x]:g}",
            "seeds": row["runs"],
            "test accuracy %": percent(row, "test_accuracy"),
            "validation accuracy %": percent(row, "val_accuracy"),
            "s/epoch": f"{row['seconds_per_epoch_mean']:.2f}",
        }
        for row in rows
    ]
    return tables.format_table(lines)


def show_experiment(runs, plan):
    """Draw one experiment's figure and print its table.

    Parameters
    ----------
    runs : list of dict
        Every run's row.
    plan : str
        The experiment's plan (a key of :data:`EXPERIMENTS_BY_PLAN`).

    Returns
    -------
    list of dict
        Its rows; empty (and a line saying how to make them) without runs.
    """
    experiment = EXPERIMENTS_BY_PLAN[plan]
    rows = experiment_rows(runs, experiment)
    if not rows:
        print(
            f"No finished runs of the plan {plan!r} here: run "
            f"`python -m helpers.batch plans/{plan}.yaml` (or `make reproduce`)."
        )
        return rows
    plotting.show(plot_experiment(rows, experiment))
    print(experiment_table(rows, experiment))
    return rows
