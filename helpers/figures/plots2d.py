"""Figures of 2-D classification problems: points by class, a decision line, a decision map.

:class:`DecisionPlane` keeps its artists and updates them (``set_data``,
``set_offsets``), so a slider or a training step redraws the same figure
instead of building a new one. Colours follow TensorFlow Playground: orange
for class 0, blue for class 1, the background shaded by the model's output.
"""

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from helpers.core.toy_data import EXTENT

ORANGE, BLUE = "#f59322", "#0877bd"
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
        self.map = self.ax.imshow(np.full((2, 2), 0.5), extent=(-extent, extent, -extent, extent),
                                  origin="lower", cmap=CLASS_MAP, vmin=0, vmax=1, alpha=0.6,
                                  interpolation="bilinear")
        self.map.set_visible(False)
        (self.line,) = self.ax.plot([], [], color="black", linewidth=2)
        empty = np.empty((0, 2))
        style = dict(c=np.empty(0), s=22, linewidths=0.8, cmap=CLASS_MAP, vmin=0, vmax=1)
        # Training points with a white edge, test points with a black one, as in the Playground.
        self.train_points = self.ax.scatter(empty[:, 0], empty[:, 1], edgecolors="white", **style)
        self.test_points = self.ax.scatter(empty[:, 0], empty[:, 1], edgecolors="black", **style)
        self.marked = self.ax.scatter(empty[:, 0], empty[:, 1], s=160, facecolors="none",
                                      edgecolors="red", linewidths=1.5)
        self.ax_loss = axes[1] if curves else None
        if curves:
            self.ax_loss.set_xlabel("epoch")
            self.ax_loss.set_ylabel("loss")
            self.ax_loss.grid(alpha=0.3)
            (self.train_curve,) = self.ax_loss.plot([], [], color="0.3", label="training")
            (self.test_curve,) = self.ax_loss.plot([], [], color="black", linestyle="--", label="test")
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
