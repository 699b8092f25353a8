"""Live training curves: a Keras callback that redraws loss and accuracy after every epoch.

Drawing is what a learner waits for besides training, so the figure is redrawn
the way animations are. Axes, ticks, labels and legends are rendered once into
a background; after each epoch only the four curves are drawn over a copy of
it, and the image is sent as a quickly compressed PNG. The background is
rendered again only when a curve leaves the limits of its axes. The x axis
spans the whole run from its first epoch; the loss axis starts at 0 and the
accuracy axis ends at 1, the bounds those curves move towards, so a run that
learns leaves its axes only with a new highest loss or lowest accuracy, which
come in its first epochs: a run renders its background once or a few times,
not once per epoch.
"""

import io

import keras
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

from helpers.figures.palette import TRAINING_COLOR, VALIDATION_COLOR
from helpers.figures.plotting import described_png, in_notebook, show_png_in

#: Room left above and below the curves, as a share of their range, when a y axis moves.
MARGIN = 0.05


class LiveCurves(keras.callbacks.Callback):
    """A Keras callback that draws loss and accuracy, training and validation, after every epoch.

    Pass it to ``model.fit(..., callbacks=[LiveCurves("title")])``: the figure
    appears in the cell and is redrawn in place as each epoch ends. After
    training, :attr:`history` holds the per-epoch values it drew.

    Parameters
    ----------
    title : str
        Shown above the two panels.
    output : ipywidgets.Output, optional
        Draw inside this widget (a panel); otherwise in the current cell.
    earlier : dict, optional
        The epochs this model has already trained (``History.history``: per-epoch
        lists, as :meth:`update` takes), for a ``fit`` that carries on with
        ``initial_epoch``: those epochs are drawn first and this ``fit``'s epochs
        continue the curves.

    Notes
    -----
    Outside a notebook (plain Python, unit tests) the curves and limits are still
    kept up to date, but nothing is rendered or displayed; :meth:`png` renders
    on demand. :attr:`draw_count` counts redraws, :attr:`background_count` how
    many of them had to render the axes too.
    """

    def __init__(self, title="", output=None, earlier=None):
        super().__init__()
        self.history = {}
        self._earlier = {key: list(values) for key, values in (earlier or {}).items()}
        self.fig = Figure(figsize=(9, 3.2), dpi=80)
        self.canvas = FigureCanvasAgg(self.fig)
        # Fixed margins, not layout="constrained": solving the layout at every
        # render about doubles it.
        self.fig.subplots_adjust(left=0.1, right=0.98, bottom=0.16, top=0.86, wspace=0.3)
        self.ax_loss, self.ax_acc = self.fig.subplots(1, 2)
        self.fig.suptitle(title)
        self.lines = {}
        # Each legend sits in the corner its curves move away from. Opaque, with a
        # square frame drawn without antialiasing, so that drawing it again over the
        # curves gives exactly what a full render gives.
        for ax, metric, corner in ((self.ax_loss, "loss", "upper right"), (self.ax_acc, "accuracy", "lower right")):
            ax.set_xlabel("epoch")
            ax.set_ylabel(metric)
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            for prefix, style, color in (("", "-", TRAINING_COLOR), ("val_", "--", VALIDATION_COLOR)):
                label = "validation" if prefix else "training"
                (self.lines[prefix + metric],) = ax.plot([], [], style, marker=".", color=color, label=label)
            frame = ax.legend(loc=corner, framealpha=1, fancybox=False).get_frame()
            frame.set_antialiased(False)
            frame.set_linewidth(0.5)
        self.output = output
        self._handle = None
        self._background = None
        self._planned_epochs = 0
        self.draw_count = 0
        self.background_count = 0

    def on_train_begin(self, logs=None):
        self.history = {key: list(values) for key, values in self._earlier.items()}
        self._planned_epochs = int((self.params or {}).get("epochs") or 0)

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        self.update(self.history)

    def update(self, history):
        """Set the curves to ``history`` (a dict of per-epoch lists) and redraw."""
        epochs = 0
        for key, line in self.lines.items():
            values = np.asarray(history.get(key, []), dtype=float)
            line.set_data(np.arange(1, len(values) + 1), values)
            epochs = max(epochs, len(values))
        self._fit_limits(epochs)
        self.redraw()

    def _fit_limits(self, epochs):
        """Move an axis only when a curve has left it; a move makes the background stale."""
        right = max(epochs, self._planned_epochs, 1) + 0.5
        if self.ax_loss.get_xlim() != (0.5, right):
            for ax in (self.ax_loss, self.ax_acc):
                ax.set_xlim(0.5, right)
            self._background = None
        for ax, floor, ceiling in ((self.ax_loss, 0.0, None), (self.ax_acc, None, 1.0)):
            values = np.concatenate([line.get_ydata() for line in ax.lines])
            values = values[np.isfinite(values)]
            if not len(values):
                continue
            low, high = values.min(), values.max()
            bottom, top = ax.get_ylim()
            if self._background is not None and bottom <= low and high <= top:
                continue
            low = low if floor is None else min(low, floor)
            high = high if ceiling is None else max(high, ceiling)
            span = (high - low) or abs(high) or 1.0
            ax.set_ylim(low - MARGIN * span, high + MARGIN * span)
            self._background = None

    def png(self):
        """The figure as PNG bytes, rendered as described in the module docstring."""
        if self._background is None:
            for line in self.lines.values():
                line.set_visible(False)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            for line in self.lines.values():
                line.set_visible(True)
            self.background_count += 1
        else:
            self.canvas.restore_region(self._background)
        for ax in (self.ax_loss, self.ax_acc):
            for line in ax.lines:
                ax.draw_artist(line)
            ax.draw_artist(ax.get_legend())
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(self.canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def description(self):
        """The figure's text alternative: the run's title, its epoch and the last value of each curve.

        Returns
        -------
        str
            For example ``"training curves, SGD: epoch 3 of 20; loss: training 0.412, validation 0.398;
            accuracy: training 88.1%, validation 89.0%"``.
        """
        title = self.fig.get_suptitle()
        epochs = max((len(values) for values in self.history.values()), default=0)
        planned = max(self._planned_epochs, epochs)
        text = "training curves" + (f", {title}" if title else "")
        if not epochs:
            return f"{text}: no epoch yet"
        text += f": epoch {epochs} of {planned}"
        for metric, shown in (("loss", "{:.3f}"), ("accuracy", "{:.1%}")):
            parts = [
                f"{label} {shown.format(self.history[key][-1])}"
                for label, key in (("training", metric), ("validation", "val_" + metric))
                if self.history.get(key)
            ]
            if parts:
                text += f"; {metric}: " + ", ".join(parts)
        return text

    def redraw(self):
        """Show the figure again, replacing the previous image, with :meth:`description` as its alt text."""
        self.draw_count += 1
        if self.output is not None:
            show_png_in(self.output, self.png(), description=self.description())
            return
        if not in_notebook():
            return
        from IPython.display import display

        bundle = described_png(self.png(), self.description())
        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)
