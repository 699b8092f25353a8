"""Figures of batch results: an experiment's accuracy against its setting, our table beside the book's."""

import numpy as np
from matplotlib.figure import Figure

from helpers.figures.palette import BLUE, RED, TEST_COLOR, VALIDATION_COLOR


def plot_experiment(rows, experiment):
    """Test and validation accuracy (mean ± std over seeds) against the varied setting.

    With ``experiment.show_seconds`` a second axis shows the seconds per epoch.

    Parameters
    ----------
    rows : list of dict
        What :func:`helpers.batch.results.experiment_rows` returns.
    experiment : helpers.batch.book_table.Experiment
        The setting and its axis label.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=(6.4, 3.8), dpi=80, layout="constrained")
    ax = fig.subplots()
    x = np.array([row[experiment.x] for row in rows], dtype=float)
    for metric, label, style, color in (
        ("test_accuracy", "test", "o-", TEST_COLOR),
        ("val_accuracy", "validation", "s--", VALIDATION_COLOR),
    ):
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
        seconds.plot(x, [row["seconds_per_epoch_mean"] for row in rows], "^:", color=RED, label="seconds per epoch")
        seconds.set_ylabel("seconds per epoch", color=RED)
    # One legend under the axes, for both y axes, where it hides no point.
    handles = [handle for axis in fig.axes for handle in axis.get_legend_handles_labels()[0]]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
    seeds = max((row["runs"] for row in rows), default=0)
    ax.set_title(f"{experiment.plan}: mean ± std over {seeds} seed(s)")
    return fig


def plot_comparison(rows, tolerance=0.5):
    """Test accuracy per table row: the book's value, the band within ``tolerance``, ours (mean ± std).

    Parameters
    ----------
    rows : list of dict
        What :func:`helpers.batch.results.compare_with_book` returns.
    tolerance : float
        Half the width of the band around the book's value, in points.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=(7.5, 3.8), dpi=80, layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    book = np.array([row["test"] for row in rows])
    ax.barh(y, 2 * tolerance, left=book - tolerance, height=0.6, color="0.85", label=f"book ± {tolerance:g} points")
    ax.plot(book, y, "k|", markersize=16, label="book")
    ours = np.array([row["ours_test"] for row in rows])
    spread = np.nan_to_num(np.array([row["ours_test_std"] for row in rows]))
    ax.errorbar(ours, y, xerr=spread, fmt="o", color=BLUE, capsize=3, label="ours (mean ± std)")
    ax.set_yticks(y, [f"{row['label']}, {row['epochs']} ep." for row in rows])
    ax.set_xlabel("test accuracy (%)")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    return fig
