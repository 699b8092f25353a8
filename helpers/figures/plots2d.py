"""Figures of 2-D problems: points by class, a decision line, a decision map, a loss chart.

:class:`DecisionPlane` keeps its artists and updates them (``set_data``,
``set_offsets``), so a slider or a training step redraws the same figure
instead of building a new one. Colours follow TensorFlow Playground: orange
for class 0, blue for class 1, the background shaded by the model's output.
:class:`MapImage` and :func:`loss_chart_svg` are for panels that redraw many
times a second: NumPy pictures encoded to PNG, and SVG text, no figure to render.
"""

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from PIL import Image

from helpers.core.toy_data import EXTENT
from helpers.figures.palette import BLACK, BLUE, GREY, ORANGE, RED

#: Output 0 -> orange, 0.5 -> white, 1 -> blue.
CLASS_MAP = LinearSegmentedColormap.from_list("orange_blue", [ORANGE, "#ffffff", BLUE])


def line_points(weights, bias, extent=EXTENT):
    """Two end points of the line ``w1*x1 + w2*x2 + b = 0`` inside ``[-extent, extent]^2``.

    Returns
    -------
    numpy.ndarray of shape (2, 2) or None
        Rows are points (x1, x2) on the square's edges (or beyond them, when the
        line misses the square: the axes clip it); ``None`` when both weights
        are 0 and there is no line.
    """
    w1, w2 = (float(value) for value in weights)
    if w1 == 0 and w2 == 0:
        return None
    if abs(w2) >= abs(w1):  # mostly horizontal: solve for x2 at the left and right edges
        x1 = np.array([-extent, extent])
        x2 = -(w1 * x1 + bias) / w2
    else:
        x2 = np.array([-extent, extent])
        x1 = -(w2 * x2 + bias) / w1
    return np.stack([x1, x2], axis=1)


class DecisionPlane:
    """A square plot of 2-D points, a decision map behind them, and optionally a line.

    Parameters
    ----------
    extent : float
        The plot covers ``[-extent, extent]^2``.
    title : str
    curves : bool
        Add a second panel with training and test loss against the epoch.
    size : float
        Height of the figure in inches.
    ax : matplotlib.axes.Axes, optional
        Draw in this axes of an existing figure (e.g. one of a row of planes)
        instead of a new figure; ``curves`` must then be False.
    """

    def __init__(self, extent=EXTENT, title="", curves=False, size=3.6, ax=None):
        if ax is not None:
            if curves:
                raise ValueError("curves=True needs a figure of its own: leave ax out")
            self.fig, axes = ax.figure, [ax]
        else:
            width = size * (2.1 if curves else 1.05)
            self.fig = Figure(figsize=(width, size), dpi=80, layout="constrained")
            axes = self.fig.subplots(1, 2 if curves else 1, squeeze=False)[0]
        self.ax = axes[0]
        self.extent = extent
        self.ax.set_xlim(-extent, extent)
        self.ax.set_ylim(-extent, extent)
        self.ax.set_aspect("equal")
        self.ax.set_xlabel("$x_1$")
        self.ax.set_ylabel("$x_2$")
        self.ax.set_title(title)
        self.map = self.ax.imshow(
            np.full((2, 2), 0.5),
            extent=(-extent, extent, -extent, extent),
            origin="lower",
            cmap=CLASS_MAP,
            vmin=0,
            vmax=1,
            alpha=0.6,
            interpolation="bilinear",
        )
        self.map.set_visible(False)
        (self.line,) = self.ax.plot([], [], color="black", linewidth=2)
        empty = np.empty((0, 2))
        style = dict(c=np.empty(0), s=22, linewidths=0.8, cmap=CLASS_MAP, vmin=0, vmax=1)
        # Training points with a white edge, test points with a black one, as in the Playground.
        self.train_points = self.ax.scatter(empty[:, 0], empty[:, 1], edgecolors="white", **style)
        self.test_points = self.ax.scatter(empty[:, 0], empty[:, 1], edgecolors="black", **style)
        self.marked = self.ax.scatter(
            empty[:, 0], empty[:, 1], s=160, facecolors="none", edgecolors=RED, linewidths=1.5
        )
        self.ax_loss = axes[1] if curves else None
        if curves:
            self.ax_loss.set_xlabel("epoch")
            self.ax_loss.set_ylabel("loss")
            self.ax_loss.grid(alpha=0.3)
            (self.train_curve,) = self.ax_loss.plot([], [], color=GREY, label="training")
            (self.test_curve,) = self.ax_loss.plot([], [], color=BLACK, linestyle="--", label="test")
            self.ax_loss.legend(loc="upper right")

    def show_points(self, x, y, x_test=None, y_test=None, size=None):
        """Set the training points (and the test points) with labels 0/1; ``size`` in points^2."""
        if size is not None:
            self.train_points.set_sizes([size])
            self.test_points.set_sizes([size])
        self.train_points.set_offsets(np.asarray(x, dtype=float).reshape(-1, 2))
        self.train_points.set_array(np.asarray(y, dtype=float))
        if x_test is not None:
            self.test_points.set_offsets(np.asarray(x_test, dtype=float).reshape(-1, 2))
            self.test_points.set_array(np.asarray(y_test, dtype=float))
        return self

    def mark(self, x):
        """Circle some points in red (e.g. the misclassified ones)."""
        self.marked.set_offsets(np.asarray(x, dtype=float).reshape(-1, 2))
        return self

    def show_map(self, image):
        """Shade the background with ``image`` (values in [0, 1], from ``toy_data.on_grid``)."""
        self.map.set_data(np.asarray(image, dtype=float))
        self.map.set_visible(True)
        return self

    def show_line(self, weights, bias):
        """Draw the line ``w1*x1 + w2*x2 + b = 0`` (hidden when it does not cross the plot)."""
        points = line_points(weights, bias, self.extent)
        if points is None:
            self.line.set_data([], [])
        else:
            self.line.set_data(points[:, 0], points[:, 1])
        return self

    def show_curves(self, epochs, train_loss, test_loss):
        """Set the loss curves (only with ``curves=True``)."""
        self.train_curve.set_data(epochs, train_loss)
        self.test_curve.set_data(epochs, test_loss)
        self.ax_loss.relim()
        self.ax_loss.autoscale_view()
        self.ax_loss.set_ylim(bottom=0)
        return self

    def set_title(self, text):
        self.ax.set_title(text)
        return self


# -- fast raster maps (for panels that redraw many times a second) -----------------------
#
# A live panel cannot afford to render a matplotlib figure per step (about 0.2 s). Here the
# network's values are coloured through a lookup table into a small NumPy RGB array and
# encoded to PNG by Pillow (which matplotlib itself needs, so it is always installed); the
# points and the frame are a second, transparent picture that changes only with the data.
# Matplotlib draws only the frame (axes, ticks), once.

#: The Playground's colours: -1 orange, 0 light grey, +1 blue.
PLAYGROUND_COLORS = (ORANGE, "#e8eaeb", BLUE)
#: How opaque the Playground paints its background map over white (160 of 255).
MAP_OPACITY = 160 / 255


def _rgb(color):
    color = color.lstrip("#")
    return np.array([int(color[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


def _lookup_table(opacity=1.0, shades=257):  # odd: 0 has a shade of its own
    low, middle, high = (_rgb(color) for color in PLAYGROUND_COLORS)
    t = np.linspace(-1, 1, shades)[:, None]
    table = np.where(t < 0, middle + (low - middle) * -t, middle + (high - middle) * t)
    table = 255 + (table - 255) * opacity  # over a white page
    return np.round(table).astype(np.uint8)


_SOLID, _FADED = _lookup_table(), _lookup_table(MAP_OPACITY)


def color_values(values, discretize=False, opacity=1.0):
    """RGB colours of ``values`` on the Playground's scale: -1 orange, 0 grey, +1 blue.

    Parameters
    ----------
    values : array
        Any shape; clipped to [-1, 1] (NaN counts as 0).
    discretize : bool
        Colour only the sign: every value >= 0 full blue, every value < 0 full orange,
        as the Playground's "Discretize output".
    opacity : float
        1 for solid colours; the Playground paints maps with :data:`MAP_OPACITY` over white.

    Returns
    -------
    numpy.ndarray of shape values.shape + (3,), uint8
    """
    values = np.nan_to_num(np.asarray(values, dtype=float))
    if discretize:
        values = np.where(values >= 0, 1.0, -1.0)
    table = _SOLID if opacity == 1.0 else _FADED if opacity == MAP_OPACITY else _lookup_table(opacity)
    index = np.round((np.clip(values, -1, 1) + 1) * (len(table) - 1) / 2).astype(int)
    return table[index]


def png_bytes(pixels, compress_level=1):
    """PNG bytes of an RGB or RGBA uint8 array (row 0 at the top); fast, lightly compressed."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8)).save(
        buffer, format="png", compress_level=compress_level
    )
    return buffer.getvalue()


def resize(pixels, size, smooth=True):
    """Scale an RGB uint8 image to ``size`` x ``size`` pixels (bilinear, or nearest with ``smooth=False``)."""
    method = Image.BILINEAR if smooth else Image.NEAREST
    return np.asarray(Image.fromarray(np.ascontiguousarray(pixels)).resize((size, size), method))


def add_points(layer, x, colors, extent=EXTENT, radius=3.0, edge="white", edge_width=1.0):
    """Paint points as discs on a square RGBA layer (later points on top).

    Parameters
    ----------
    layer : numpy.ndarray of shape (size, size, 4), float32
        Colour premultiplied by coverage (0 to 255) and coverage (0 to 1),
        changed in place: what lies below shows as ``below * (1 - a) + rgb``.
    x : array of shape (n, 2)
        Coordinates in ``[-extent, extent]^2`` (others are left out).
    colors : array of shape (n, 3)
        RGB fill of each point (0 to 255).
    radius, edge_width : float
        In pixels; the Playground draws points of radius 3 with a 1-pixel edge.
    edge : str
        Edge colour: white for training points, black for test points, as in the Playground.

    Returns
    -------
    numpy.ndarray
        ``layer``.
    """
    size = layer.shape[0]
    x = np.asarray(x, dtype=float).reshape(-1, 2)
    colors = np.asarray(colors, dtype=np.float32).reshape(-1, 3)
    edge_rgb = _rgb({"white": "#ffffff", "black": "#000000"}.get(edge, edge)).astype(np.float32)
    # Pixel centres sit at i + 0.5; x1 grows to the right, x2 upwards (row 0 at the top).
    column = (x[:, 0] + extent) / (2 * extent) * size
    row = (extent - x[:, 1]) / (2 * extent) * size
    reach = int(np.ceil(radius + 1))
    for c, r, fill in zip(column, row, colors):
        if not (0 <= c <= size and 0 <= r <= size):
            continue
        rows = np.arange(max(0, int(r) - reach), min(size, int(r) + reach + 1))
        cols = np.arange(max(0, int(c) - reach), min(size, int(c) + reach + 1))
        distance = np.hypot(rows[:, None] + 0.5 - r, cols[None, :] + 0.5 - c)
        outer = np.clip(radius + 0.5 - distance, 0, 1)[..., None]
        inner = np.clip(radius - edge_width + 0.5 - distance, 0, 1)[..., None]
        window = layer[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        window[..., :3] = window[..., :3] * (1 - outer) + inner * fill + (outer - inner) * edge_rgb
        window[..., 3:] = window[..., 3:] * (1 - outer) + outer
    return layer


class MapImage:
    """A fast decision map in two layers: the coloured values, and the points with a frame over them.

    The background is the grid of values itself, one pixel per grid point (a
    50 x 50 PNG of a few hundred bytes, encoded in well under a millisecond),
    which the browser scales up smoothly, as the Playground scales its canvas.
    The overlay (axes and ticks drawn once with matplotlib, the points as
    discs) is transparent over the map and changes only when the points do.
    :meth:`pixels` lays one over the other in NumPy, for a single picture.

    Parameters
    ----------
    size : int
        Pixels per side of the map on the page.
    extent : float
        The map covers ``[-extent, extent]^2``.
    """

    def __init__(self, size=300, extent=EXTENT):
        self.size = int(size)
        self.extent = extent
        (self.frame, self.frame_overlay), self.box = _frame(self.size, extent)
        self.points = np.zeros((self.size, self.size, 4), np.float32)
        self._overlay_png = None

    @property
    def width(self):
        """Pixels across the whole picture, frame included."""
        return self.frame.shape[1]

    @property
    def height(self):
        """Pixels down the whole picture, frame included."""
        return self.frame.shape[0]

    def set_points(self, x, values, x_test=None, test_values=None, radius=3.0):
        """The points to show over the map: training points (white edge) and test points (black edge).

        ``values`` are the points' labels on the colour scale: -1 (orange) to 1 (blue);
        pass ``x_test=None`` to hide the test points.
        """
        layer = np.zeros((self.size, self.size, 4), np.float32)
        add_points(layer, x, color_values(values), self.extent, radius, "white")
        if x_test is not None and len(x_test):
            add_points(layer, x_test, color_values(test_values), self.extent, radius, "black")
        self.points = layer
        self._overlay_png = None
        return self

    def background(self, values, discretize=False):
        """The map's colours: ``values`` (rows from the bottom, as ``toy_data.on_grid``), RGB, row 0 at the top."""
        return color_values(np.asarray(values)[::-1], discretize, MAP_OPACITY)

    def background_png(self, values, discretize=False):
        """PNG of :meth:`background`, one pixel per grid point (the browser scales it to ``size``)."""
        return png_bytes(self.background(values, discretize))

    def overlay(self):
        """The frame and the points as one RGBA uint8 picture, transparent where the map shows."""
        top, left = self.box
        layer = self.frame_overlay.copy()
        inside = layer[top : top + self.size, left : left + self.size]
        inside[...] = self.points + inside * (1 - self.points[..., 3:])  # points over the spines
        alpha = layer[..., 3:]
        rgb = np.divide(layer[..., :3], alpha, out=np.zeros_like(layer[..., :3]), where=alpha > 0)
        return np.concatenate([rgb, alpha * 255], axis=2).round().clip(0, 255).astype(np.uint8)

    def overlay_png(self):
        """PNG of :meth:`overlay` (encoded again only after :meth:`set_points`)."""
        if self._overlay_png is None:
            self._overlay_png = png_bytes(self.overlay())
        return self._overlay_png

    def pixels(self, values, discretize=False):
        """The whole picture as one RGB array: the map scaled up, the points and the frame over it."""
        top, left = self.box
        image = self.frame.copy()
        image[top : top + self.size, left : left + self.size] = resize(
            self.background(values, discretize), self.size, smooth=True
        )
        overlay = self.overlay().astype(np.float32)
        alpha = overlay[..., 3:] / 255
        return (image * (1 - alpha) + overlay[..., :3] * alpha).round().astype(np.uint8)

    def render(self, values, discretize=False):
        """PNG bytes of :meth:`pixels`."""
        return png_bytes(self.pixels(values, discretize))


_FRAMES = {}


def _frame(size, extent):
    """((white page, premultiplied RGBA overlay of the axes), the map's (top, left) pixel), cached."""
    key = (size, extent)
    if key not in _FRAMES:
        margin_left, margin_bottom, margin_top, margin_right = 40, 34, 6, 10
        width, height = size + margin_left + margin_right, size + margin_top + margin_bottom
        fig = Figure(figsize=(width / 100, height / 100), dpi=100)
        fig.patch.set_alpha(0)
        ax = fig.add_axes((margin_left / width, margin_bottom / height, size / width, size / height))
        ax.patch.set_alpha(0)
        ax.set_xlim(-extent, extent)
        ax.set_ylim(-extent, extent)
        ticks = np.arange(-extent, extent + 1e-9, 2 if extent >= 4 else 1)
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
        ax.tick_params(labelsize=8, length=3)
        ax.set_xlabel("$x_1$", fontsize=9, labelpad=1)
        ax.set_ylabel("$x_2$", fontsize=9, labelpad=1)
        for spine in ax.spines.values():
            spine.set_color("0.6")
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba(), dtype=np.float32) / 255
        # White around the axes, as on a page, so that the ticks' dark text stays readable on a
        # dark theme; transparent inside them, where the map shows.
        around = np.ones((height, width), bool)
        around[margin_top : margin_top + size, margin_left : margin_left + size] = False
        rgba[around, :3] = rgba[around, :3] * rgba[around, 3:] + 1 - rgba[around, 3:]
        rgba[around, 3] = 1
        overlay = np.concatenate([rgba[..., :3] * rgba[..., 3:] * 255, rgba[..., 3:]], axis=2)
        page = np.full((height, width, 3), 255, np.uint8)
        _FRAMES[key] = ((page, overlay), (margin_top, margin_left))
    return _FRAMES[key]


def loss_chart_svg(epochs, train_loss, test_loss, width=300, height=70):
    """A small chart of training (grey) and test (black) loss against the epoch, as SVG text.

    Like the Playground's chart under its numbers: no axes, the lowest loss at the
    bottom, the highest at the top.
    """
    epochs = np.asarray(epochs, dtype=float)
    curves = [np.asarray(loss, dtype=float) for loss in (train_loss, test_loss)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="max-width: 100%; height: auto">'
        f'<rect width="{width}" height="{height}" fill="#fafafa"/>'
    ]
    finite = np.concatenate([curve[np.isfinite(curve)] for curve in curves]) if len(epochs) else []
    if len(epochs) >= 2 and len(finite):
        top = max(float(np.max(finite)), 1e-12)
        span_x = max(float(epochs[-1] - epochs[0]), 1e-12)
        for curve, color in zip(curves, (GREY, BLACK)):
            xs = 2 + (epochs - epochs[0]) / span_x * (width - 4)
            ys = height - 2 - np.clip(curve, 0, top) / top * (height - 4)
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in zip(xs, ys) if np.isfinite(py))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="1.5"/>')
    parts.append("</svg>")
    return "".join(parts)
