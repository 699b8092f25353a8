"""Saved batch results: load them, average over seeds, set them beside the book's numbers.

A results folder is what :mod:`helpers.batch.runner` writes: ``<plan>/<run-id>/metrics.json``
(the notebook's final numbers) next to ``run.json`` (the runner's record), both read
through :mod:`helpers.batch.records`. Every
function here works on plain lists of dicts, so it is tested on tiny synthetic
folders and used the same way from a notebook or a script.
"""

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from helpers.batch import records
from helpers.core import grid
from helpers.figures import plotting
from helpers.figures.palette import BLUE, RED, TEST_COLOR, VALIDATION_COLOR

ROOT = Path(__file__).resolve().parents[2]
#: Where ``make reproduce`` writes.
RESULTS_DIR = ROOT / "results"
#: The metrics of one full ``make reproduce`` on a 2-core machine, kept with the project.
STORED_RESULTS_DIR = ROOT / "data" / "reproduction"
#: The book's table on Keras' JAX backend (one seed per row), stored the same way.
STORED_JAX_RESULTS_DIR = ROOT / "data" / "reproduction-jax"
#: Real metrics of small runs (a few epochs, 2,000 images): what the tests read.
SAMPLE_RESULTS_DIR = ROOT / "tests" / "data" / "results_sample"


@dataclass(frozen=True)
class BookRow:
    """One row of the book's results table (accuracies in percent)."""

    key: str  # the variant's name in plans/table.yaml
    label: str
    epochs: int
    train: float
    validation: float
    test: float


#: Chapter 1's table: MNIST, batch 128, validation split 0.2, all 60,000 training images.
BOOK_TABLE = (
    BookRow("simple_sgd_200", "simple: 784→10 softmax, SGD", 200, 92.36, 92.37, 92.22),
    BookRow("hidden_sgd_20", "two hidden layers of 128 ReLU, SGD", 20, 94.50, 94.63, 94.41),
    BookRow("dropout_sgd_20", "+ dropout 0.3, SGD", 20, 91.54, 94.48, 94.25),
    BookRow("dropout_sgd_250", "+ dropout 0.3, SGD", 250, 98.10, 97.73, 97.70),
    BookRow("dropout_rmsprop_20", "+ dropout 0.3, RMSprop", 20, 97.97, 97.59, 97.84),
    BookRow("dropout_adam_20", "+ dropout 0.3, Adam", 20, 98.28, 98.03, 97.93),
)

#: Runs of the table's plan that the book did not make. V2 (no dropout) trained for 250 epochs, like the
#: book's long dropout run: without it, the long run's gain cannot be split between dropout and epochs.
CONTROL_VARIANTS = ("hidden_sgd_250",)
#: The table's variants in the order the notebooks list them: the book's rows, then the controls.
TABLE_VARIANTS = tuple(row.key for row in BOOK_TABLE) + CONTROL_VARIANTS
#: Epochs -> (variant without dropout, variant with dropout 0.3), both trained with SGD.
DROPOUT_PAIRS = {20: ("hidden_sgd_20", "dropout_sgd_20"), 250: ("hidden_sgd_250", "dropout_sgd_250")}


@dataclass(frozen=True)
class Experiment:
    """One of the book's experiments, drawn from the runs of one plan."""

    plan: str  # the plan file's name in plans/
    x: str  # the varied setting, as the metrics JSON names it
    xlabel: str
    book: str  # what the book reports (its figures have no numbers)
    log_x: bool = False
    show_seconds: bool = False  # also draw seconds per epoch


EXPERIMENTS = (
    Experiment("dropout", "dropout", "dropout rate",
               "test accuracy against the dropout rate (Adam): a moderate rate helps, a large one hurts"),
    Experiment("epochs", "epochs", "epochs", "200 epochs instead of 20 give no gain, for ten times the time",
               log_x=True),
    Experiment("learning_rate", "learning_rate", "learning rate (Adam)",
               "the best learning rate is near 0.001, Adam's default", log_x=True),
    Experiment("hidden_units", "hidden_units", "hidden units per layer",
               "wider layers: accuracy and seconds per epoch grow, the gains shrink",
               log_x=True, show_seconds=True),
    Experiment("batch_size", "batch_size", "batch size", "the best accuracy is at batch size 128",
               log_x=True),
)

EXPERIMENTS_BY_PLAN = {experiment.plan: experiment for experiment in EXPERIMENTS}


def has_results(folder):
    """True if ``folder`` holds at least one run's ``metrics.json``."""
    return Path(folder).is_dir() and any(Path(folder).glob(f"*/*/{records.METRICS_FILE}"))


def resolve_results_dir(value=""):
    """The folder a results notebook reads.

    Parameters
    ----------
    value : str or Path
        A folder (relative paths are taken from the project's folder), or ``""``
        for the first of: ``results/`` if it holds results, the stored full
        reproduction, the stored sample of small runs.

    Raises
    ------
    FileNotFoundError
        If the named folder does not exist.
    """
    if value:
        folder = Path(value)
        folder = folder if folder.is_absolute() else ROOT / folder
        if not folder.is_dir():
            raise FileNotFoundError(f"results folder {folder} not found; run `make reproduce` "
                                    "or set RESULTS_DIR to a folder that `python -m helpers.batch` wrote")
        return folder
    for folder in (RESULTS_DIR, STORED_RESULTS_DIR, SAMPLE_RESULTS_DIR):
        if has_results(folder):
            return folder
    raise FileNotFoundError("no results anywhere: run `make reproduce` first")


def relative(path):
    """``path`` relative to the project's folder when it is inside it (shorter to print)."""
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
        runs.append({"plan": run_folder.parent.name, "run_id": run_folder.name,
                     "variant": record.get("variant", ""), "wall_seconds": record.get("seconds"),
                     "code_version": record.get("code_version"),
                     # Runs recorded before the backend was recorded ran on TensorFlow.
                     "backend": state.metrics.get("backend") or record.get("backend") or "tensorflow",
                     **state.metrics})
    return runs


def mean_std(values):
    """Mean and sample standard deviation (n - 1); the deviation is NaN for one value."""
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
    """:func:`dropout_effect` as a Markdown table (test accuracy in %, mean ± std over seeds)."""
    lines = ["| epochs of SGD | no dropout (V2) | dropout 0.3 (V3) | dropout's effect (points) | seeds |",
             "|---|---|---|---|---|"]
    for row in rows:
        difference = "–" if math.isnan(row["difference"]) else f"{row['difference']:+.2f}"
        lines.append(f"| {row['epochs']} | {_percent(row['without'], row['without_std'])} "
                     f"| {_percent(row['with'], row['with_std'])} | {difference} "
                     f"| {row['without_runs']} + {row['with_runs']} |")
    return "\n".join(lines)


def compile_path(run):
    """How a run trained: backend, batches per call, XLA; e.g. ``"jax, 64 steps/call, XLA"``.

    Keras compiles the training step with XLA on JAX; the notebooks do not ask
    for it on TensorFlow (``make bench`` measured it no faster there).
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
    """The comparison as a Markdown table (accuracies in %, ours as mean ± std over seeds)."""
    lines = ["| variant | epochs | book train | book val. | book test | our train | our val. | our test "
             "| test diff. (points) | within ±{:g} | seeds | backend, compile path |".format(tolerance),
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
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
            f"| {'; '.join(row.get('paths', [])) or '–'} |")
    return "\n".join(lines)


def time_split(runs, by=("plan", "variant")):
    """Wall time per group of runs (whole notebooks, as the runner timed them).

    Returns
    -------
    list of dict
        ``by`` values, ``runs``, ``minutes`` and ``share`` (of the total), longest first.
    """
    groups = {}
    for run in runs:
        groups.setdefault(tuple(run.get(key) for key in by), []).append(run.get("wall_seconds") or 0.0)
    total = sum(sum(seconds) for seconds in groups.values()) or 1.0
    rows = [{**dict(zip(by, key)), "runs": len(seconds), "minutes": sum(seconds) / 60,
             "share": sum(seconds) / total} for key, seconds in groups.items()]
    return sorted(rows, key=lambda row: -row["minutes"])


def experiment_rows(runs, experiment):
    """The runs of ``experiment``'s plan, averaged over seeds, sorted by the varied setting."""
    members = [run for run in runs if run["plan"] == experiment.plan]
    return sorted(aggregate(members, by=(experiment.x,)), key=lambda row: row[experiment.x])


def plot_experiment(rows, experiment):
    """Test and validation accuracy (mean ± std over seeds) against the varied setting.

    With ``experiment.show_seconds`` a second axis shows the seconds per epoch.
    """
    fig = Figure(figsize=(6.4, 3.8), dpi=80, layout="constrained")
    ax = fig.subplots()
    x = np.array([row[experiment.x] for row in rows], dtype=float)
    for metric, label, style, color in (("test_accuracy", "test", "o-", TEST_COLOR),
                                        ("val_accuracy", "validation", "s--", VALIDATION_COLOR)):
        mean = 100 * np.array([row[f"{metric}_mean"] for row in rows])
        std = 100 * np.nan_to_num(np.array([row[f"{metric}_std"] for row in rows]))
        ax.errorbar(x, mean, yerr=std, fmt=style, color=color, capsize=3, label=f"{label} accuracy")
    ax.set_xlabel(experiment.xlabel)
    ax.set_ylabel("accuracy (%)")
    if experiment.log_x:
        ax.set_xscale("log")
    ax.set_xticks(x, [f"{value:g}" for value in x])
    ax.minorticks_off()
    ax.grid(alpha=0.3)
    if experiment.show_seconds:
        seconds = ax.twinx()
        seconds.plot(x, [row["seconds_per_epoch_mean"] for row in rows], "^:", color=RED,
                     label="seconds per epoch")
        seconds.set_ylabel("seconds per epoch", color=RED)
    # One legend under the axes, for both y axes, where it hides no point.
    handles = [handle for axis in fig.axes for handle in axis.get_legend_handles_labels()[0]]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
    seeds = max((row["runs"] for row in rows), default=0)
    ax.set_title(f"{experiment.plan}: mean ± std over {seeds} seed(s)")
    return fig


def plot_comparison(rows, tolerance=0.5):
    """Test accuracy per table row: the book's value, the band within ``tolerance``, ours (mean ± std)."""
    fig = Figure(figsize=(7.5, 3.8), dpi=80, layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    book = np.array([row["test"] for row in rows])
    ax.barh(y, 2 * tolerance, left=book - tolerance, height=0.6, color="0.85",
            label=f"book ± {tolerance:g} points")
    ax.plot(book, y, "k|", markersize=16, label="book")
    ours = np.array([row["ours_test"] for row in rows])
    spread = np.nan_to_num(np.array([row["ours_test_std"] for row in rows]))
    ax.errorbar(ours, y, xerr=spread, fmt="o", color=BLUE, capsize=3, label="ours (mean ± std)")
    ax.set_yticks(y, [f"{row['label']}, {row['epochs']} ep." for row in rows])
    ax.set_xlabel("test accuracy (%)")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return fig


def experiment_table(rows, experiment):
    """An experiment's rows as aligned text: setting, seeds, accuracies (mean ± std), seconds per epoch."""
    def percent(row, metric):
        return _percent(100 * row[f"{metric}_mean"], 100 * row[f"{metric}_std"])

    lines = [{experiment.x: f"{row[experiment.x]:g}", "seeds": row["runs"],
              "test accuracy %": percent(row, "test_accuracy"),
              "validation accuracy %": percent(row, "val_accuracy"),
              "s/epoch": f"{row['seconds_per_epoch_mean']:.2f}"} for row in rows]
    return grid.format_table(lines)


def show_experiment(runs, plan):
    """Draw one experiment's figure and print its table; return its rows (empty without runs)."""
    experiment = EXPERIMENTS_BY_PLAN[plan]
    rows = experiment_rows(runs, experiment)
    if not rows:
        print(f"No finished runs of the plan {plan!r} here: run "
              f"`python -m helpers.batch plans/{plan}.yaml` (or `make reproduce`).")
        return rows
    plotting.show(plot_experiment(rows, experiment))
    print(experiment_table(rows, experiment))
    return rows
