"""The network drawn as TensorFlow Playground draws it: one small map per neuron, weighted edges.

Every neuron is a square showing its output over the whole plane (orange for
negative, blue for positive, on the Playground's scale), so you can see what
each hidden unit has learned to detect. Each edge is coloured by the sign of
its weight and as wide as the weight is large; a small square at each neuron's
corner shows its bias. The diagram is SVG text (for an ``ipywidgets.HTML``),
rebuilt after every step: a few kilobytes, built in a few milliseconds.
"""

import base64
import html
import math
from functools import lru_cache

import numpy as np

from helpers.core import toy_data
from helpers.figures.plots2d import MAP_OPACITY, color_values, png_bytes

#: How the Playground writes each feature next to its input neuron.
FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁x₂",
    "sin(x1)": "sin(x₁)",
    "sin(x2)": "sin(x₂)",
}
#: Largest number of grid points per side of a neuron's map (the Playground uses 10).
NODE_RESOLUTION = 25


def edge_width(weight):
    """Stroke width of an edge, in pixels: 1 for a weight of 0 up to 10 for |weight| >= 5 (the Playground's)."""
    return 1 + 9 * min(abs(float(weight)), 5.0) / 5


def edge_color(weight):
    """CSS colour of an edge or a bias: orange for negative, grey for 0, blue for positive (saturates at +-1)."""
    red, green, blue = color_values(float(weight))
    return f"#{red:02x}{green:02x}{blue:02x}"


def neuron_values(values, kind):
    """A neuron's map brought to the colour scale [-1, 1].

    ``kind`` is ``"feature"`` (scaled by its largest magnitude, so x1^2, which
    reaches 36, still shows its shape), ``"probability"`` (0..1 stretched to
    -1..1: 0.5 is grey) or ``"value"`` (as it is, clipped: tanh and a
    regression output already live there; ReLU saturates at 1, as in the
    Playground).
    """
    values = np.asarray(values, dtype=float)
    if kind == "feature":
        top = float(np.max(np.abs(values)))
        return values / top if top > 0 else values
    if kind == "probability":
        return 2 * values - 1
    return values


def map_data_uri(values, discretize=False):
    """A neuron's map (rows from the bottom, values in [-1, 1]) as a PNG data URI, at most NODE_RESOLUTION a side."""
    values = np.asarray(values)
    step = max(1, math.ceil(values.shape[0] / NODE_RESOLUTION))
    pixels = color_values(values[::-step, ::step], discretize, MAP_OPACITY)
    return "data:image/png;base64," + base64.b64encode(png_bytes(pixels)).decode("ascii")


@lru_cache(maxsize=64)
def _feature_uri(name, resolution, discretize):
    values = toy_data.input_features(toy_data.grid(resolution=resolution), [name])[:, 0]
    return map_data_uri(neuron_values(values.reshape(resolution, resolution), "feature"), discretize)


def network_svg(snapshot, discretize=False, features=tuple(toy_data.FEATURES), node=36, width=620, row_gap=12):
    """SVG text of the network in ``snapshot`` (a :class:`helpers.core.playground.Snapshot`).

    Parameters
    ----------
    snapshot : Snapshot
        Settings, maps of every neuron over the grid, weights and biases.
    discretize : bool
        Colour only the sign of every map.
    features : sequence of str
        Every feature to draw in the input column; those the network does not
        use are drawn faded, without edges.
    node : int
        Pixels per side of a neuron's square.
    width : int
        Pixels across the diagram: the columns spread over it (at least 36
        pixels apart, at most 84).
    row_gap : int
        Pixels between the neurons of a column.

    Returns
    -------
    str
        An ``<svg>`` element, with a tooltip on every edge (its weight) and
        neuron (its bias).
    """
    settings = snapshot.settings
    active = list(settings.features)
    sizes = [len(features)] + [maps.shape[0] for maps in snapshot.layer_maps]
    label_width, header, pad = 52, 18, 4
    room = width - 2 * pad - label_width - len(sizes) * node
    column_gap = min(84, max(36, room // (len(sizes) - 1)))
    width = pad + label_width + len(sizes) * node + (len(sizes) - 1) * column_gap + pad
    height = header + max(sizes) * (node + row_gap) + pad

    def x_of(column):
        return pad + label_width + column * (node + column_gap)

    def y_of(row):
        return header + row * (node + row_gap)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" '
        # Text in the theme's colour (light on JupyterLab Dark); narrower than its width, the
        # diagram shrinks to fit (a window at 200 % zoom) instead of being cut.
        f'style="font: 11px sans-serif; fill: currentColor; max-width: 100%; height: auto">'
    ]
    # Edges first, so the neurons lie on top of them.
    rows_in = [features.index(name) for name in active]
    for layer, (kernel, bias) in enumerate(zip(snapshot.weights, snapshot.biases)):
        x0, x1 = x_of(layer) + node, x_of(layer + 1)
        middle = (x0 + x1) / 2
        for i, source_row in enumerate(rows_in):
            y0 = y_of(source_row) + node / 2
            for j in range(kernel.shape[1]):
                weight = float(kernel[i, j])
                y1 = y_of(j) + node / 2
                parts.append(
                    f'<path d="M{x0},{y0} C{middle},{y0} {middle},{y1} {x1},{y1}" fill="none" '
                    f'stroke="{edge_color(weight)}" stroke-width="{edge_width(weight):.2f}" '
                    f'stroke-opacity="0.85"><title>weight {weight:.3f}</title></path>'
                )
        rows_in = list(range(kernel.shape[1]))
    # Input column: every feature, the unused ones faded.
    for row, name in enumerate(features):
        x, y = x_of(0), y_of(row)
        faded = "" if name in active else ' class="nnf-inactive" opacity="0.25"'
        uri = _feature_uri(name, snapshot.resolution, bool(discretize))
        parts.append(
            f'<g{faded}><text x="{x - 5}" y="{y + node / 2 + 4}" text-anchor="end">'
            f"{html.escape(FEATURE_LABELS.get(name, name))}</text>"
            f'<image x="{x}" y="{y}" width="{node}" height="{node}" href="{uri}" '
            f'preserveAspectRatio="none"/>'
            f'<rect x="{x}" y="{y}" width="{node}" height="{node}" fill="none" stroke="#999"/></g>'
        )
    # Hidden layers and the output.
    last = len(snapshot.layer_maps) - 1
    for layer, maps in enumerate(snapshot.layer_maps):
        x = x_of(layer + 1)
        output = layer == last
        kind = "value" if not output or settings.regression else "probability"
        title = "output" if output else f"{maps.shape[0]} neuron{'s' if maps.shape[0] > 1 else ''}"
        parts.append(f'<text x="{x + node / 2}" y="{header - 6}" text-anchor="middle">{title}</text>')
        for row in range(maps.shape[0]):
            y = y_of(row)
            bias = float(snapshot.biases[layer][row])
            uri = map_data_uri(neuron_values(maps[row], kind), discretize)
            parts.append(
                f'<image x="{x}" y="{y}" width="{node}" height="{node}" href="{uri}" '
                f'preserveAspectRatio="none"/>'
                f'<rect x="{x}" y="{y}" width="{node}" height="{node}" fill="none" stroke="#999">'
                f"<title>bias {bias:.3f}</title></rect>"
                f'<rect x="{x - 4}" y="{y + node - 4}" width="7" height="7" '
                f'fill="{edge_color(bias)}" stroke="#666" stroke-width="0.5">'
                f"<title>bias {bias:.3f}</title></rect>"
            )
    parts.append(f'<text x="{x_of(0) + node / 2}" y="{header - 6}" text-anchor="middle">features</text>')
    parts.append("</svg>")
    return "".join(parts)
