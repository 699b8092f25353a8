"""Figures of a cost landscape and the paths that descend it, redrawn in place.

The notebook writes the cost, its gradient and the descent loop; these classes
only draw what the loop returns. Each keeps its artists and updates them
(``set_data``), so a slider moves the same figure instead of building a new
one (pass ``.fig`` to :class:`helpers.ui.figure_panel.FigurePanel`).

A diverging path leaves the plot: points beyond the axes are clipped by
matplotlib, and the costs panel (log scale) shows the blow-up as a wall.
"""

import numpy as np
from matplotlib.figure import Figure

from helpers.figures.palette import BLUE, RED, class_color


def _cost_axis(ax, xlabel):
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cost")
    ax.set_yscale("log")
    ax.grid(alpha=0.3)


def _finite(values):
    """Keep the leading finite part (a diverged run ends in inf or nan), row by row."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values.reshape(len(values), -1)).all(axis=1)
    return values[: len(values) if finite.all() else np.argmin(finite)]


def _set_log_limits(ax, curves):
    """Fit a log axis to positive finite values of several curves."""
    values = np.concatenate([np.ravel(curve) for curve in curves]) if curves else np.array([])
    values = values[np.isfinite(values) & (values > 0)]
    if len(values):
        low, high = values.min(), values.max()
        ax.set_ylim(low / 1.5, high * 1.5 if high > low else low * 10)


class PathOnCurve:
    """A 1-D cost curve ``C(w)`` with a descent path on it, and the cost step by step.

    Parameters
    ----------
    cost : callable
        ``cost(w)`` for a NumPy array of weights (vectorized).
    low, high : float
        The range of ``w`` drawn.
    title : str
    """

    def __init__(self, cost, low, high, title=""):
        self.fig = Figure(figsize=(9, 3.4), dpi=80, layout="constrained")
        self.ax_curve, self.ax_cost = self.fig.subplots(1, 2, width_ratios=[3, 2])
        w = np.linspace(low, high, 400)
        curve = cost(w)
        self.ax_curve.plot(w, curve, color="0.25")
        self.ax_curve.set_xlim(low, high)
        margin = 0.08 * (curve.max() - curve.min())
        self.ax_curve.set_ylim(curve.min() - margin, curve.max() + margin)
        self.ax_curve.set_xlabel("$w$")
        self.ax_curve.set_ylabel("$C(w)$")
        self.ax_curve.grid(alpha=0.3)
        (self.path_line,) = self.ax_curve.plot([], [], "o-", color=RED, markersize=4, linewidth=1, alpha=0.8)
        (self.start_marker,) = self.ax_curve.plot([], [], "s", color=BLUE, markersize=9, label="start")
        (self.end_marker,) = self.ax_curve.plot([], [], "*", color=RED, markersize=14, label="end")
        self.ax_curve.legend(loc="upper center")
        _cost_axis(self.ax_cost, "step")
        (self.cost_line,) = self.ax_cost.plot([], [], ".-", color=RED)
        self.fig.suptitle(title)

    def show_path(self, path, costs):
        """Draw the weights ``path`` (start first) and their ``costs``.

        Parameters
        ----------
        path : array_like
            The weight after every step, the start first.
        costs : array_like
            The cost at each of those weights.

        Returns
        -------
        PathOnCurve
            ``self``, so that a call can be chained.
        """
        path, costs = _finite(path), _finite(costs)
        shown = min(len(path), len(costs))
        path, costs = path[:shown], costs[:shown]
        self.path_line.set_data(path, costs)
        self.start_marker.set_data(path[:1], costs[:1])
        self.end_marker.set_data(path[-1:], costs[-1:])
        self.cost_line.set_data(np.arange(shown), costs)
        self.ax_cost.set_xlim(0, max(shown - 1, 1))
        _set_log_limits(self.ax_cost, [costs])
        return self


class PathsOnContour:
    """Contour lines of a 2-D cost with descent paths on them, and a cost curve per path.

    Parameters
    ----------
    cost : callable
        ``cost(points)`` for an array of shape ``(..., 2)``, returning shape ``(...)``.
    xlim, ylim : tuple of float
        The range of the two weights drawn.
    labels : tuple of str
        Axis labels of the two weights.
    curve_xlabel : str
        What the x axis of the cost panel counts (steps, epochs, ...).
    levels : int
        Number of contour lines (spaced evenly in log cost).
    title : str
    resolution : int
        Grid points per axis for the contour lines.
    """

    def __init__(
        self, cost, xlim, ylim, labels=("$w_1$", "$w_2$"), curve_xlabel="step", levels=18, title="", resolution=120
    ):
        self.fig = Figure(figsize=(9.5, 3.9), dpi=80, layout="constrained")
        self.ax_map, self.ax_cost = self.fig.subplots(1, 2, width_ratios=[1.15, 1])
        w1, w2 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
        surface = cost(np.stack([w1, w2], axis=-1))
        low = max(surface.min(), 1e-3 * surface.max())
        self.ax_map.contour(
            w1, w2, surface, levels=np.geomspace(low, surface.max(), levels), cmap="viridis", linewidths=0.8
        )
        self.ax_map.set_xlim(*xlim)
        self.ax_map.set_ylim(*ylim)
        self.ax_map.set_xlabel(labels[0])
        self.ax_map.set_ylabel(labels[1])
        _cost_axis(self.ax_cost, curve_xlabel)
        self.paths, self.ends, self.curves = {}, {}, {}
        self.fig.suptitle(title)

    def _artists(self, label):
        if label not in self.paths:
            color = class_color(len(self.paths) + 1)  # from orange: blue is lost among the contours
            (self.paths[label],) = self.ax_map.plot(
                [], [], ".-", color=color, markersize=3, linewidth=1, alpha=0.8, label=label
            )
            (self.ends[label],) = self.ax_map.plot([], [], "*", color=color, markersize=13)
            (self.curves[label],) = self.ax_cost.plot([], [], "-", color=color, label=label)
            self.ax_cost.legend(loc="upper right", fontsize=8)
        return self.paths[label], self.ends[label], self.curves[label]

    def show_paths(self, paths, curves):
        """Draw several paths and their cost curves.

        Parameters
        ----------
        paths : dict
            Label -> array of shape ``(steps + 1, 2)``, the start first.
        curves : dict
            Label -> ``(x, cost)``: the cost panel's curve for that path (e.g.
            the cost after every step, or after every epoch).

        Returns
        -------
        PathsOnContour
            ``self``, so that a call can be chained.
        """
        for label, path in paths.items():
            path_line, end, curve_line = self._artists(label)
            path = _finite(np.asarray(path, dtype=float).reshape(-1, 2))
            path_line.set_data(path[:, 0], path[:, 1])
            end.set_data(path[-1:, 0], path[-1:, 1])
            x, y = (np.asarray(values, dtype=float) for values in curves[label])
            y = _finite(y)
            curve_line.set_data(x[: len(y)], y)
        shown = [np.asarray(curves[label][1], dtype=float) for label in paths]
        ends = [np.asarray(curves[label][0], dtype=float)[-1] for label in paths if len(curves[label][0])]
        self.ax_cost.set_xlim(0, max(max(ends, default=1), 1))
        _set_log_limits(self.ax_cost, shown)
        return self
