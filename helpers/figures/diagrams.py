"""Diagrams of networks: one neuron with its weights and bias, and a multilayer perceptron.

Both are drawn with ``matplotlib.figure.Figure`` (no pyplot) and returned, so a
notebook shows them with :func:`helpers.figures.plotting.show` and a test can
inspect their artists.
"""

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from helpers.core import checks
from helpers.figures.palette import BLUE, ORANGE

#: Edge colours of :func:`mlp_diagram`: no weights given, a positive weight, a negative weight (the
#: playground's blue and orange, as in :mod:`helpers.figures.network_diagram`).
EDGE_COLOR = "0.6"
POSITIVE_COLOR = BLUE
NEGATIVE_COLOR = ORANGE


def _shown(count, limit):
    """Which of ``count`` units to draw (at most ``limit``) and whether an ellipsis stands for the rest.

    Small layers are drawn whole; a big one keeps its first ``limit - 1`` units
    and its last, with an ellipsis in between.
    """
    if count <= limit:
        return list(range(count)), False
    return list(range(limit - 1)) + [count - 1], True


def arrow(ax, start, end, **style):
    """Draw the diagrams' arrow from ``start`` to ``end`` on ``ax``: a filled head, dark grey, 1.2 wide.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    start, end : tuple of float
        Tail and head, in data coordinates.
    **style
        ``color``, ``linewidth`` and any other ``FancyArrowPatch`` property.
    """
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=12,
            shrinkA=0,
            shrinkB=0,
            color=style.pop("color", "0.2"),
            linewidth=style.pop("linewidth", 1.2),
            **style,
        )
    )


def _math_label(text):
    """A one-letter name (``f``) or a LaTeX command (``\\sigma``) as mathtext; anything else as it is."""
    return f"${text}$" if len(text) == 1 or text.startswith("\\") else text


def neuron_diagram(n_inputs=3, activation="f", title=""):
    """One artificial neuron: inputs, weights, bias, the weighted sum, the activation, the output.

    Draws inputs :math:`x_1 \\dots x_n` on the left, an edge labelled
    :math:`w_i` from each to a summation node that also receives the bias
    :math:`b`, then the activation and the output :math:`y = f(z)`, with
    :math:`z = \\sum_i w_i x_i + b`.

    Parameters
    ----------
    n_inputs : int
        Number of inputs, at least 1. Up to 5 are drawn one by one; more are
        drawn as :math:`x_1, x_2, \\dots, x_n`, the last labelled with the true ``n``.
    activation : str
        Name of the activation shown in its box: one letter (``"f"``) or a LaTeX
        command (``"\\sigma"``) is set as mathematics, a word (``"step"``,
        ``"ReLU"``) as text.
    title : str
        Shown above the diagram.

    Returns
    -------
    matplotlib.figure.Figure
    """
    checks.check_value("n_inputs", n_inputs, "int >= 1")
    checks.check_value("activation", activation, "str")
    shown, ellipsis = _shown(n_inputs, 4 if n_inputs > 5 else 5)
    slots = len(shown) + ellipsis
    fig = Figure(figsize=(6.4, max(2.6, 0.7 * slots + 1.2)), dpi=80, layout="constrained")
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.axis("off")
    height = max(slots - 1, 1) * 1.1
    ys = np.linspace(height / 2, -height / 2, slots) if slots > 1 else np.array([0.0])
    if ellipsis:  # the ellipsis takes the slot before the last input
        input_ys = np.concatenate([ys[:-2], ys[-1:]])
        ax.plot([0.0] * 3, ys[-2] + np.array([-0.18, 0.0, 0.18]), "k.", markersize=3)
    else:
        input_ys = ys
    summation, box, output = (3.4, 0.0), (5.3, 0.0), (7.2, 0.0)
    radius = 0.32
    for index, y in zip(shown, input_ys):
        ax.add_patch(Circle((0.0, y), radius, facecolor="white", edgecolor="0.2", zorder=3))
        ax.text(0.0, y, f"$x_{{{index + 1}}}$", ha="center", va="center", fontsize=11, zorder=4)
        direction = np.array([summation[0], summation[1]]) - np.array([0.0, y])
        direction /= np.linalg.norm(direction)
        start = np.array([0.0, y]) + radius * direction
        end = np.array(summation) - 0.42 * direction
        arrow(ax, tuple(start), tuple(end))
        label_at = start + 0.38 * (end - start)
        ax.text(
            label_at[0], label_at[1] + 0.14, f"$w_{{{index + 1}}}$", ha="center", va="bottom", fontsize=10, color=BLUE
        )
    ax.add_patch(Circle(summation, 0.42, facecolor="#f4f4f4", edgecolor="0.2", zorder=3))
    ax.text(*summation, r"$\Sigma$", ha="center", va="center", fontsize=14, zorder=4)
    bias_from = (summation[0], summation[1] - 1.5)
    arrow(ax, bias_from, (summation[0], summation[1] - 0.42))
    ax.text(bias_from[0], bias_from[1] - 0.08, "$b$", ha="center", va="top", fontsize=11, color=ORANGE)
    ax.text(summation[0] + 0.2, summation[1] + 0.7, r"$z = \sum_i w_i x_i + b$", ha="center", va="bottom", fontsize=9)
    arrow(ax, (summation[0] + 0.42, 0.0), (box[0] - 0.5, 0.0))
    ax.add_patch(
        FancyBboxPatch(
            (box[0] - 0.5, -0.35), 1.0, 0.7, boxstyle="round,pad=0.05", facecolor="#fff6e0", edgecolor="0.2", zorder=3
        )
    )
    ax.text(*box, _math_label(activation), ha="center", va="center", fontsize=12, zorder=4)
    ax.text(box[0], 0.55, "activation", ha="center", va="bottom", fontsize=9)
    arrow(ax, (box[0] + 0.55, 0.0), output)
    name = _math_label(activation)
    result = f"$y = {activation}(z)$" if name.startswith("$") else f"$y$ = {activation}($z$)"
    ax.text(output[0] + 0.1, 0.0, result, ha="left", va="center", fontsize=11)
    ax.set_xlim(-0.6, 9.4)
    ax.set_ylim(min(bias_from[1], -height / 2) - 0.5, height / 2 + 0.9)
    if title:
        ax.set_title(title)
    return fig


def _layer_name(index, count):
    if index == 0:
        return "input"
    if index == count - 1:
        return "output"
    return f"hidden {index}"


def mlp_diagram(layer_sizes, max_units_drawn=8, weights=None, title=""):
    """A multilayer perceptron: one column of units per layer, edges between consecutive layers.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first (e.g. ``[784, 128, 128, 10]``).
    max_units_drawn : int
        At most this many units of a layer are drawn (at least 2): a bigger
        layer shows its first ``max_units_drawn - 1`` units, an ellipsis and its
        last unit. Every column is labelled with the layer's true size.
    weights : sequence of array-like, optional
        One kernel matrix per pair of consecutive layers, shaped
        ``(layer_sizes[i], layer_sizes[i + 1])`` (what
        ``keras.layers.Dense.get_weights()[0]`` returns). When given, an edge
        is blue for a positive weight and orange for a negative one, and its width
        grows with the weight's magnitude (relative to the largest drawn
        weight of that pair of layers).
    title : str
        Shown above the diagram.

    Returns
    -------
    matplotlib.figure.Figure
        Its axes hold one ``LineCollection`` of edges per pair of layers, in
        order, then the units.

    Raises
    ------
    helpers.core.checks.ParameterError
        If a size is not a whole number >= 1 or ``max_units_drawn`` < 2.
    ValueError
        If ``weights`` does not hold one matrix of the right shape per pair of layers.
    """
    layer_sizes = list(layer_sizes)
    checks.check_value("layer_sizes", layer_sizes, "list of int >= 1")
    checks.check_value("max_units_drawn", max_units_drawn, "int >= 2")
    if weights is not None:
        weights = [np.asarray(kernel, dtype=float) for kernel in weights]
        if len(weights) != len(layer_sizes) - 1:
            raise ValueError(
                f"weights must hold {len(layer_sizes) - 1} kernel matrices (one per pair of layers), got {len(weights)}"
            )
        for index, kernel in enumerate(weights):
            expected = (layer_sizes[index], layer_sizes[index + 1])
            if kernel.shape != expected:
                raise ValueError(f"weights[{index}] must have shape {expected}, got {kernel.shape}")

    columns = [_shown(count, max_units_drawn) for count in layer_sizes]
    most = max(len(shown) + ellipsis for shown, ellipsis in columns)
    spacing, gap = 0.55, 2.4
    fig = Figure(
        figsize=(max(3.2, 1.55 * len(layer_sizes) + 0.8), max(2.4, 0.36 * most + 1.3)), dpi=80, layout="constrained"
    )
    ax = fig.subplots()
    ax.axis("off")

    positions = []  # per layer: {unit index: (x, y)}
    for column, (shown, ellipsis) in enumerate(columns):
        slots = len(shown) + ellipsis
        ys = (np.arange(slots)[::-1] - (slots - 1) / 2) * spacing
        if ellipsis:
            unit_ys = np.concatenate([ys[:-2], ys[-1:]])
            ax.plot([column * gap] * 3, ys[-2] + np.array([-0.12, 0.0, 0.12]), "k.", markersize=2.5)
        else:
            unit_ys = ys
        positions.append({unit: (column * gap, y) for unit, y in zip(shown, unit_ys)})

    for pair in range(len(layer_sizes) - 1):
        left, right = positions[pair], positions[pair + 1]
        segments = [(left[i], right[j]) for i in left for j in right]
        if weights is None:
            colors, widths = EDGE_COLOR, 0.6
        else:
            values = np.array([weights[pair][i, j] for i in left for j in right])
            scale = np.abs(values).max() or 1.0
            colors = [POSITIVE_COLOR if value > 0 else NEGATIVE_COLOR for value in values]
            widths = 0.3 + 2.7 * np.abs(values) / scale
        ax.add_collection(LineCollection(segments, colors=colors, linewidths=widths, alpha=0.75, zorder=1))

    half = (most - 1) / 2 * spacing
    for column, units in enumerate(positions):
        xy = np.array(list(units.values()))
        ax.scatter(xy[:, 0], xy[:, 1], s=110, facecolor="white", edgecolor="0.2", linewidth=1.2, zorder=3)
        count = layer_sizes[column]
        ax.text(
            column * gap,
            -half - 0.35,
            f"{_layer_name(column, len(layer_sizes))}\n{count:,} unit{'s' if count > 1 else ''}",
            ha="center",
            va="top",
            fontsize=9,
        )

    ax.set_xlim(-0.8, (len(layer_sizes) - 1) * gap + 0.8)
    ax.set_ylim(-half - 1.2, half + 0.4)
    if weights is not None:
        ax.text(
            (len(layer_sizes) - 1) * gap / 2,
            half + 0.3,
            "blue: positive weight, orange: negative; width: |weight|",
            ha="center",
            va="bottom",
            fontsize=8,
            color="0.3",
        )
    if title:
        ax.set_title(title)
    return fig
