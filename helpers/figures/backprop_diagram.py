"""Backpropagation drawn with numbers: the forward pass, the backward pass, and the training loop.

:func:`backprop_flow_diagram` draws a small network with one hidden layer and
one sigmoid output twice, labelled with the values of one example: first the
values flowing forward to the prediction, then the errors flowing back from
the output. :func:`training_loop_diagram` draws the loop around it (features,
prediction, loss against the labels, gradients, optimizer update). Both take
plain numbers, return a ``matplotlib.figure.Figure`` and are shown with
:func:`helpers.figures.plotting.show`, in the style of
:mod:`helpers.figures.diagrams`.
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from helpers.core import checks
from helpers.figures.diagrams import arrow
from helpers.figures.palette import BLUE, ORANGE

#: Colour of what flows forward (values) and of what flows backward (errors and gradients).
FORWARD_COLOR = BLUE
BACKWARD_COLOR = ORANGE  # the playground's pair, which colour-blind eyes tell apart
#: The quantities :func:`backprop_flow_diagram` reads: z for a layer's input, a its output, delta its error
#: dL/dz, dW a weight gradient; 1 for the hidden layer, 2 for the output.
QUANTITIES = ("z1", "a1", "z2", "y_hat", "loss", "delta2", "delta1", "dW1", "dW2")
#: Largest layers drawn (the diagram is for a tiny network whose every number can be read).
MAX_INPUTS, MAX_HIDDEN = 4, 6

_RADIUS = 0.3
_LABEL_BOX = dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.9)


def number(value):
    """How the diagrams write a value.

    Parameters
    ----------
    value : float

    Returns
    -------
    str
        3 decimals (``"0.413"``, ``"-0.472"``); a value below 0.001 in size but
        not 0 in scientific notation (``"2.50e-04"``), so it never shows as 0.
    """
    value = float(value)
    if value != 0 and abs(value) < 0.001:
        return f"{value:.2e}"
    return f"{value:.3f}"


def _as_shape(name, value, shape, what):
    array = np.asarray(value, dtype=float)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape} ({what}), got shape {array.shape}")
    return array


def _checked(x, y, quantities):
    """The example and its quantities as arrays of the shapes the drawing needs, or a ValueError naming the shape."""
    given = np.shape(x)
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[np.newaxis]
    if x.ndim != 2 or x.shape[0] != 1 or not 1 <= x.shape[1] <= MAX_INPUTS:
        raise ValueError(
            f"x must hold one example, shape (1, n_inputs) or (n_inputs,) with 1 <= n_inputs <= "
            f"{MAX_INPUTS}, got shape {given}"
        )
    label = _as_shape("y", np.reshape(y, (-1, 1)) if np.size(y) == 1 else y, (1, 1), "one label")
    missing = [name for name in QUANTITIES if name not in quantities]
    if missing:
        raise ValueError(
            f"quantities lacks {', '.join(missing)}; it needs {', '.join(QUANTITIES)} "
            "(a forward and backward pass's quantities, by name)"
        )
    hidden = np.shape(quantities["a1"])[-1] if np.ndim(quantities["a1"]) else 0
    if not 1 <= hidden <= MAX_HIDDEN:
        raise ValueError(
            f"a1 must have shape (1, n_hidden) with 1 <= n_hidden <= {MAX_HIDDEN}, "
            f"got shape {np.shape(quantities['a1'])}"
        )
    n_inputs = x.shape[1]
    shapes = {
        "z1": (1, hidden),
        "a1": (1, hidden),
        "delta1": (1, hidden),
        "z2": (1, 1),
        "y_hat": (1, 1),
        "delta2": (1, 1),
        "loss": (),
        "dW1": (n_inputs, hidden),
        "dW2": (hidden, 1),
    }
    what = f"one example, {n_inputs} input{'s' * (n_inputs > 1)}, {hidden} hidden unit{'s' * (hidden > 1)}"
    values = {name: _as_shape(name, quantities[name], shape, what) for name, shape in shapes.items()}
    return x[0], float(label[0, 0]), values


def _unit_ys(count, spacing):
    return (np.arange(count)[::-1] - (count - 1) / 2) * spacing


def _edge(ax, start, end, color, backward=False, linewidth=1.0, alpha=0.55):
    """An arrow between two unit centres, stopping at the circles; pointing left when ``backward``."""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    direction = (end - start) / np.linalg.norm(end - start)
    tail, head = start + _RADIUS * direction, end - _RADIUS * direction
    if backward:
        tail, head = head, tail
    arrow(ax, tuple(tail), tuple(head), color=color, linewidth=linewidth, alpha=alpha)


def _unit(ax, xy, name, fill="white"):
    ax.add_patch(Circle(xy, _RADIUS, facecolor=fill, edgecolor="0.2", linewidth=1.2, zorder=3))
    ax.text(xy[0], xy[1], name, ha="center", va="center", fontsize=10, zorder=4)


def _label(ax, xy, text, color, **placement):
    ax.text(
        xy[0],
        xy[1],
        text,
        fontsize=10,
        color=color,
        bbox=_LABEL_BOX,
        zorder=5,
        **{"ha": "center", "va": "bottom", **placement},
    )


def _network(ax, n_inputs, hidden, color, backward):
    """Units and edges of one panel; returns the positions of the inputs, the hidden units and the output."""
    spacing = 1.45
    inputs = [(0.0, y) for y in _unit_ys(n_inputs, spacing)]
    units = [(3.4, y) for y in _unit_ys(hidden, spacing)]
    output = (6.8, 0.0)
    for unit in units:
        for source in inputs:
            _edge(ax, source, unit, color, backward, linewidth=0.9, alpha=0.35)
        _edge(ax, unit, output, color, backward, linewidth=1.3, alpha=0.6)
    for i, xy in enumerate(inputs):
        _unit(ax, xy, f"$x_{{{i + 1}}}$")
    for xy in units:
        _unit(ax, xy, r"$\sigma$", fill="#fff6e0")
    _unit(ax, output, r"$\sigma$", fill="#fff6e0")
    return inputs, units, output


def _panel_limits(ax, n_inputs, hidden, bottom_extra=0.0):
    top = (max(n_inputs, hidden) - 1) / 2 * 1.45
    ax.set_xlim(-1.5, 10.6)
    ax.set_ylim(-top - 0.6 - bottom_extra, top + 0.85)
    ax.set_aspect("equal")
    ax.axis("off")


def backprop_flow_diagram(x, y, quantities, title=""):
    """The forward and the backward pass of a one-hidden-layer network, labelled with one example's numbers.

    Two panels, one above the other. **Forward** (arrows left to right, blue):
    each input :math:`x_i` with its value, each hidden unit with
    :math:`z^{(1)}_j` and :math:`a^{(1)}_j = \\sigma(z^{(1)}_j)`, the output
    with :math:`z^{(2)}` and the prediction :math:`\\hat y`, then the loss
    :math:`L` against the label :math:`y`. **Backward** (arrows right to
    left, orange): the output error :math:`\\delta^{(2)} = \\hat y - y`, each
    hidden unit's error :math:`\\delta^{(1)}_j`, and two gradients written out
    as input times error on their (thicker) edges:
    :math:`\\partial L / \\partial W^{(2)}_{1} = a^{(1)}_1 \\delta^{(2)}` and
    :math:`\\partial L / \\partial W^{(1)}_{11} = x_1 \\delta^{(1)}_1`.
    Values are written with 3 decimals (see :func:`number`).

    Parameters
    ----------
    x : array-like
        One example, shape ``(1, n_inputs)`` or ``(n_inputs,)``, 1 to
        ``MAX_INPUTS`` inputs.
    y : float or array-like
        Its label, 0 or 1 (a number or shape ``(1, 1)``).
    quantities : dict
        The example's forward and backward quantities, as
        a ``forward_backward(x, y, W1, b1, W2, b2)`` function returns them
        (sigmoid units, binary cross-entropy): at least ``QUANTITIES``, shaped
        ``z1, a1, delta1: (1, n_hidden)``, ``z2, y_hat, delta2: (1, 1)``,
        ``loss`` a number, ``dW1: (n_inputs, n_hidden)``,
        ``dW2: (n_hidden, 1)``, with 1 to ``MAX_HIDDEN`` hidden units.
    title : str
        Shown above both panels.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, forward then backward; every number drawn is one of their texts.

    Raises
    ------
    ValueError
        If ``x`` is not one example, a quantity is missing, or a quantity's
        shape does not match (the message names the quantity and its shape).
    """
    if not isinstance(quantities, dict):
        raise ValueError(f"quantities must be a dict of arrays by name (z1, a1, ...), got {type(quantities).__name__}")
    x, label, q = _checked(x, y, quantities)
    checks.check_value("title", title, "str")
    n_inputs, hidden = len(x), q["a1"].shape[1]
    rows = max(n_inputs, hidden)
    # the panels' heights in data units (see _panel_limits), at the ~0.61 inch per unit their width gives
    heights = [1.45 * rows, 1.45 * rows + 1.2]
    fig = Figure(figsize=(7.6, 0.61 * sum(heights) + 0.8 + 0.35 * bool(title)), dpi=80, layout="constrained")
    forward_ax, backward_ax = fig.subplots(2, 1, height_ratios=heights)

    # panel 1: values forward
    ax = forward_ax
    inputs, units, output = _network(ax, n_inputs, hidden, FORWARD_COLOR, backward=False)
    for i, xy in enumerate(inputs):
        _label(ax, (xy[0] - 0.45, xy[1]), f"{number(x[i])}", "0.1", ha="right", va="center")
    for j, xy in enumerate(units):
        _label(
            ax,
            (xy[0], xy[1] + 0.38),
            f"$z^{{(1)}}_{{{j + 1}}}$ = {number(q['z1'][0, j])}   $a^{{(1)}}_{{{j + 1}}}$ = {number(q['a1'][0, j])}",
            "0.1",
        )
    _label(ax, (output[0], output[1] + 0.38), f"$z^{{(2)}}$ = {number(q['z2'][0, 0])}", "0.1")
    arrow(ax, (output[0] + _RADIUS, 0.0), (output[0] + 1.0, 0.0), color=FORWARD_COLOR)
    ax.text(
        output[0] + 1.1,
        0.0,
        f"prediction\n$\\hat y$ = {number(q['y_hat'][0, 0])}\n\n"
        f"loss $L$ = {number(q['loss'])}\n(label $y$ = {label:g})",
        ha="left",
        va="center",
        fontsize=9,
    )
    _panel_limits(ax, n_inputs, hidden)
    ax.set_title("1. forward: values flow from the inputs to the prediction", fontsize=10, loc="left")

    # panel 2: errors backward, two gradients written out
    ax = backward_ax
    inputs, units, output = _network(ax, n_inputs, hidden, BACKWARD_COLOR, backward=True)
    _edge(ax, units[0], output, BACKWARD_COLOR, backward=True, linewidth=2.6, alpha=1.0)
    _edge(ax, inputs[0], units[0], BACKWARD_COLOR, backward=True, linewidth=2.6, alpha=1.0)
    for j, xy in enumerate(units):
        _label(
            ax, (xy[0], xy[1] + 0.38), f"$\\delta^{{(1)}}_{{{j + 1}}}$ = {number(q['delta1'][0, j])}", BACKWARD_COLOR
        )
    delta2 = q["delta2"][0, 0]
    _label(ax, (output[0], output[1] + 0.38), f"$\\delta^{{(2)}}$ = {number(delta2)}", BACKWARD_COLOR)
    arrow(ax, (output[0] + 1.0, 0.0), (output[0] + _RADIUS, 0.0), color=BACKWARD_COLOR)
    ax.text(
        output[0] + 1.1,
        0.0,
        f"error at the output\n$\\delta^{{(2)}} = \\hat y - y$\n"
        f"= {number(q['y_hat'][0, 0])} - {label:g}\n= {number(delta2)}",
        ha="left",
        va="center",
        fontsize=9,
    )
    bottom = -(rows - 1) / 2 * 1.45 - 0.75
    ax.text(
        -1.4,
        bottom,
        "$\\delta^{(1)} = \\delta^{(2)} W^{(2)\\top} \\odot a^{(1)} \\odot (1 - a^{(1)})$;  "
        "a weight's gradient is its input times the error it feeds, on the thick edges:\n"
        f"$\\partial L / \\partial W^{{(2)}}_{{1}} = a^{{(1)}}_1 \\, \\delta^{{(2)}}$ = "
        f"{number(q['a1'][0, 0])} $\\times$ ({number(delta2)}) = {number(q['dW2'][0, 0])}        "
        f"$\\partial L / \\partial W^{{(1)}}_{{11}} = x_1 \\, \\delta^{{(1)}}_1$ = "
        f"{number(x[0])} $\\times$ ({number(q['delta1'][0, 0])}) = {number(q['dW1'][0, 0])}",
        ha="left",
        va="top",
        fontsize=9,
        color="0.1",
        linespacing=1.6,
    )
    _panel_limits(ax, n_inputs, hidden, bottom_extra=1.2)
    ax.set_title("2. backward: the error flows from the output back to every weight", fontsize=10, loc="left")
    if title:
        fig.suptitle(title)
    return fig


def _box(ax, xy, text, width=1.9, height=0.8, fill="#f4f4f4"):
    ax.add_patch(
        FancyBboxPatch(
            (xy[0] - width / 2, xy[1] - height / 2),
            width,
            height,
            boxstyle="round,pad=0.06",
            facecolor=fill,
            edgecolor="0.2",
            zorder=3,
        )
    )
    ax.text(xy[0], xy[1], text, ha="center", va="center", fontsize=9, zorder=4)


def training_loop_diagram(loss="loss", optimizer="optimizer", title=""):
    """The training loop: features in, prediction, loss against the labels, gradients, weights updated, repeated.

    Boxes joined by arrows: features -> network (its weights) -> prediction
    -> loss, with the labels pointing into the loss (forward arrows, blue);
    then loss -> gradients (backpropagation) -> optimizer, which updates the
    network's weights (backward arrows, orange). In the middle: "repeat for every
    batch, every epoch".

    Parameters
    ----------
    loss : str
        Name of the loss written in its box (e.g. ``"binary cross-entropy"``).
    optimizer : str
        Name of the optimizer written in its box (e.g. ``"SGD"``).
    title : str
        Shown above the diagram.

    Returns
    -------
    matplotlib.figure.Figure
    """
    for name, value in (("loss", loss), ("optimizer", optimizer), ("title", title)):
        checks.check_value(name, value, "str")
    fig = Figure(figsize=(7.6, 3.4), dpi=80, layout="constrained")
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.axis("off")
    features, network, prediction, loss_at = (0.0, 1.6), (2.7, 1.6), (5.4, 1.6), (8.1, 1.6)
    labels, gradients, updater = (8.1, 3.0), (8.1, 0.0), (2.7, 0.0)
    half_width, half_height = 0.95 + 0.06, 0.4 + 0.06
    _box(ax, features, "features $X$\n(the inputs)")
    _box(ax, network, "network\n(its weights $W$)", fill="#fff6e0")
    _box(ax, prediction, "prediction $\\hat y$")
    _box(ax, labels, "labels $y$")
    _box(ax, loss_at, f"loss $L$\n{loss}")
    _box(ax, gradients, "gradients $\\partial L / \\partial W$\n(backpropagation)")
    _box(ax, updater, f"{optimizer}\nupdates the weights")
    for start, end in ((features, network), (network, prediction), (prediction, loss_at)):
        arrow(ax, (start[0] + half_width, start[1]), (end[0] - half_width, end[1]), color=FORWARD_COLOR)
    arrow(ax, (labels[0], labels[1] - half_height), (loss_at[0], loss_at[1] + half_height), color=FORWARD_COLOR)
    arrow(ax, (loss_at[0], loss_at[1] - half_height), (gradients[0], gradients[1] + half_height), color=BACKWARD_COLOR)
    arrow(ax, (gradients[0] - half_width, 0.0), (updater[0] + half_width, 0.0), color=BACKWARD_COLOR)
    arrow(ax, (updater[0], updater[1] + half_height), (network[0], network[1] - half_height), color=BACKWARD_COLOR)
    ax.text(
        5.4, 0.75, "\u21bb repeat for every batch,\nevery epoch", ha="center", va="center", fontsize=10, color="0.2"
    )
    ax.set_xlim(-1.1, 9.2)
    ax.set_ylim(-0.6, 3.6)
    if title:
        ax.set_title(title)
    return fig
