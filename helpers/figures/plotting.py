"""Figures the notebooks share: confusion matrix, digit gallery, compared histories, sweeps.

Figures are built with ``matplotlib.figure.Figure`` (not pyplot), so nothing is
shown twice and a figure can be redrawn in place (see
:mod:`helpers.figures.training_curves`, which renders to PNG and replaces its
previous image, in a cell or inside a widget).
"""

import base64
import html
import io

import numpy as np
from matplotlib.figure import Figure

from helpers.figures import descriptions
from helpers.figures.palette import BLACK, BLUE, LIGHT_GREY, RED, class_color, class_marker


def in_notebook():
    """True when running in a Jupyter kernel (JupyterLab, papermill, nbval)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def figure_png(fig):
    """Render a figure to PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    return buffer.getvalue()


def show_in(output, fig, append=False, description=None):
    """Make an ``ipywidgets.Output`` show ``fig`` (as PNG) instead of what it showed.

    Safe to call from a background thread (a panel's training run): it sets the
    widget's ``outputs`` directly, which is synced to the browser like any other
    widget value. ``with output:`` is not safe there, because it captures
    whatever the kernel prints next, from any thread, into the widget.
    ``append=True`` shows ``fig`` below what the widget already shows.

    Parameters
    ----------
    output : ipywidgets.Output
    fig : matplotlib.figure.Figure
    append : bool
        Below what ``output`` shows, instead of replacing it.
    description : str, optional
        The figure's text alternative; by default its title or its axes' titles.
    """
    if description is None:
        description = descriptions.figure_caption(fig)
    show_png_in(output, figure_png(fig), append, description)


def described_png(png, description):
    """A display bundle that shows a PNG with its text alternative.

    JupyterLab draws a plain ``image/png`` output without ``alt`` (the notebook format has no field
    for it), so the picture travels as an ``<img alt="...">`` in ``text/html``, which JupyterLab,
    Voila, Colab and static pages render; ``text/plain`` carries the description alone.

    Parameters
    ----------
    png : bytes
        The picture.
    description : str
        Its text alternative: what it shows and the numbers that matter.

    Returns
    -------
    dict
        MIME type -> content, for ``IPython.display.display(bundle, raw=True)`` or an output.
    """
    if not isinstance(png, (bytes, bytearray, memoryview)):
        raise TypeError(f"png must be PNG bytes, got {type(png).__name__}")
    if not str(description).strip():
        raise ValueError(f"a figure needs a text alternative, got {description!r}")
    return {"text/html": png_img_html(png, description), "text/plain": str(description)}


def png_img_html(png, description, style=""):
    """An ``<img>`` element that carries PNG bytes and their text alternative.

    Parameters
    ----------
    png : bytes
        The picture.
    description : str
        Its ``alt`` text (``""`` marks a decoration a screen reader skips).
    style : str, optional
        CSS for the element.

    Returns
    -------
    str
    """
    source = base64.b64encode(bytes(png)).decode("ascii")
    css = f' style="{html.escape(style)}"' if style else ""
    return f'<img src="data:image/png;base64,{source}" alt="{html.escape(str(description))}"{css}>'


def show_png_in(output, png, append=False, description="figure"):
    """:func:`show_in` for an image already rendered: ``png`` is its bytes, shown with ``description``."""
    image = {"output_type": "display_data", "metadata": {}, "data": described_png(png, description)}
    output.outputs = (*output.outputs, image) if append else (image,)


def plot_confusion_matrix(matrix, title="Confusion matrix (test set)"):
    """A heatmap of a confusion matrix with the counts written in the cells."""
    fig = Figure(figsize=(5.5, 5), dpi=80, layout="constrained")
    ax = fig.subplots()
    ax.imshow(np.log1p(matrix), cmap="Blues")
    for (row, col), count in np.ndenumerate(matrix):
        ax.text(col, row, str(count), ha="center", va="center", fontsize=7, color="white" if row == col else "black")
    ax.set_xticks(range(matrix.shape[1]))
    ax.set_yticks(range(matrix.shape[0]))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    return fig


def plot_digits(images, titles, columns=8, title=""):
    """A gallery of 28x28 digits with a caption under each."""
    rows = max(1, int(np.ceil(len(images) / columns)))
    fig = Figure(figsize=(columns * 1.1, rows * 1.3), dpi=80, layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax in axes:
        ax.axis("off")
    for ax, image, caption in zip(axes, images, titles):
        ax.imshow(np.asarray(image).reshape(28, 28), cmap="gray_r")
        ax.set_title(caption, fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def show(fig):
    """Display a figure in the notebook as a PNG (does nothing outside a notebook)."""
    if in_notebook():
        from IPython.display import Image, display

        display(Image(data=figure_png(fig), format="png"))


def _history_values(history):
    """The per-epoch dict of a Keras ``History`` (or the dict itself)."""
    return getattr(history, "history", history)


def compare_histories(histories, metrics=("loss", "accuracy"), title=""):
    """Several runs' curves side by side: one panel per metric, one colour per run.

    Parameters
    ----------
    histories : dict
        Run label -> Keras ``History`` or its ``history`` dict of per-epoch lists.
    metrics : sequence of str
        One panel each; training is drawn solid, validation (``val_`` + metric) dashed.
    title : str
        Shown above the panels.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=(4.6 * len(metrics), 3.4), dpi=80, layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(metrics)))
    for ax, metric in zip(axes, metrics):
        for index, (label, history) in enumerate(histories.items()):
            values = _history_values(history)
            for prefix, style, part in (("", "-", "training"), ("val_", "--", "validation")):
                curve = values.get(prefix + metric)
                if curve:
                    ax.plot(
                        np.arange(1, len(curve) + 1),
                        curve,
                        style,
                        color=class_color(index),
                        marker=class_marker(index),
                        markersize=4,
                        markevery=max(1, len(curve) // 12),
                        label=f"{label}, {part}",
                    )
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    if title:
        fig.suptitle(title)
    return fig


def plot_sweep(values, panels, xlabel, title="", log_base=None):
    """Final numbers of several runs against the setting they vary.

    Parameters
    ----------
    values : sequence of float
        The setting's value in each run (the x axis).
    panels : dict
        Y-axis label -> {line label -> one number per run}; one panel each.
    xlabel : str
        Name of the setting.
    title : str
        Shown above the panels.
    log_base : int, optional
        Draw the x axis on a log scale of this base (10 for learning rates,
        2 for batch sizes and layer widths).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=(4.6 * len(panels), 3.4), dpi=80, layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    for ax, (ylabel, lines) in zip(axes, panels.items()):
        for index, (label, numbers) in enumerate(lines.items()):
            ax.plot(values, numbers, marker=class_marker(index), color=class_color(index), label=label)
        if log_base:
            ax.set_xscale("log", base=log_base)
        ax.set_xticks(values, [f"{value:g}" for value in values])
        ax.minorticks_off()
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if len(lines) > 1:
            ax.legend(fontsize=8, loc="best")
    if title:
        fig.suptitle(title)
    return fig


def plot_histograms(values, threshold=None, bins=60, xlabel="weight", title=""):
    """Histograms side by side, one per label, on a log count scale.

    Parameters
    ----------
    values : dict
        Label -> 1-D array of numbers (e.g. every kernel weight of one model).
    threshold : float, optional
        Shade ``[-threshold, threshold]`` and give the share of values inside it
        in each panel's title ("near zero").
    bins : int
    xlabel, title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=(3.4 * len(values), 3.0), dpi=80, layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(values), sharey=True))
    for index, (ax, (label, numbers)) in enumerate(zip(axes, values.items())):
        numbers = np.asarray(numbers, dtype=float).ravel()
        ax.hist(numbers, bins=bins, color=class_color(index), log=True)
        if threshold:
            ax.axvspan(-threshold, threshold, color="0.8", zorder=0)
            label = f"{label}\n{np.mean(np.abs(numbers) < threshold):.1%} within ±{threshold:g}"
        ax.set_title(label, fontsize=9)
        ax.set_xlabel(xlabel)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("count (log scale)")
    if title:
        fig.suptitle(title)
    return fig


def plot_heatmap(table, row_values, column_values, row_name, column_name, title="", fmt=".1%"):
    """A table of numbers as coloured cells with the values written in them.

    Parameters
    ----------
    table : 2-D array-like
        ``table[i][j]`` belongs to ``row_values[i]`` and ``column_values[j]``;
        NaN cells stay blank.
    row_values, column_values : sequence
        Tick labels (printed with ``:g`` when they are numbers).
    row_name, column_name : str
        Axis labels.
    title : str
    fmt : str
        Format of the numbers in the cells.

    Returns
    -------
    matplotlib.figure.Figure
    """
    table = np.asarray(table, dtype=float)
    fig = Figure(figsize=(1.1 * table.shape[1] + 2.4, 0.6 * table.shape[0] + 1.6), dpi=80, layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(np.ma.masked_invalid(table), cmap="viridis", aspect="auto")
    middle = np.nanmean(table) if np.isfinite(table).any() else 0.0
    for (row, col), value in np.ndenumerate(table):
        if np.isfinite(value):
            ax.text(
                col,
                row,
                format(value, fmt),
                ha="center",
                va="center",
                fontsize=9,
                color="black" if value > middle else "white",
            )
    label = lambda value: format(value, "g") if isinstance(value, (int, float)) else str(value)  # noqa: E731
    ax.set_xticks(range(len(column_values)), [label(value) for value in column_values])
    ax.set_yticks(range(len(row_values)), [label(value) for value in row_values])
    ax.set_xlabel(column_name)
    ax.set_ylabel(row_name)
    fig.colorbar(image, ax=ax)
    if title:
        ax.set_title(title)
    return fig


def plot_probabilities(images, probabilities, labels, title=""):
    """Digits above the bar chart of their predicted class probabilities.

    Parameters
    ----------
    images : array-like of 28x28 (or 784) images
    probabilities : array-like of shape (n, classes)
        What ``model.predict`` returns for them.
    labels : sequence of int
        The true classes; their bar is drawn in blue, a wrong top class in red.
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    probabilities = np.asarray(probabilities, dtype=float)
    count, classes = probabilities.shape
    fig = Figure(figsize=(1.6 * count, 3.4), dpi=80, layout="constrained")
    axes = fig.subplots(2, count, squeeze=False, height_ratios=[1, 1.1])
    for column, (image, row, label) in enumerate(zip(images, probabilities, labels)):
        top = int(row.argmax())
        axes[0, column].imshow(np.asarray(image).reshape(28, 28), cmap="gray_r")
        axes[0, column].axis("off")
        axes[0, column].set_title(f"true {label}, pred {top}", fontsize=8, color=BLACK if top == label else RED)
        colors = [LIGHT_GREY] * classes
        colors[top] = RED
        colors[int(label)] = BLUE
        axes[1, column].bar(range(classes), row, color=colors)
        axes[1, column].set_ylim(0, 1)
        axes[1, column].set_xticks(range(classes))
        axes[1, column].tick_params(labelsize=7)
        if column:
            axes[1, column].set_yticklabels([])
    axes[1, 0].set_ylabel("probability")
    if title:
        fig.suptitle(title)
    return fig
