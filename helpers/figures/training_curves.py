"""Live training curves: a Keras callback that redraws loss and accuracy after every epoch."""

import keras
import numpy as np
from matplotlib.figure import Figure

from helpers.figures.plotting import figure_png, in_notebook, show_in


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

    Notes
    -----
    Outside a notebook (plain Python, unit tests) the figure is still kept up to
    date, but nothing is displayed.
    """

    def __init__(self, title="", output=None):
        super().__init__()
        self.history = {}
        # Fixed margins, not layout="constrained": the figure is rendered after
        # every epoch, and solving the layout each time about doubles the
        # render, time a live panel waits for.
        self.fig = Figure(figsize=(9, 3.2), dpi=80)
        self.fig.subplots_adjust(left=0.1, right=0.98, bottom=0.16, top=0.86, wspace=0.3)
        self.ax_loss, self.ax_acc = self.fig.subplots(1, 2)
        self.fig.suptitle(title)
        self.lines = {}
        for ax, metric in ((self.ax_loss, "loss"), (self.ax_acc, "accuracy")):
            ax.set_xlabel("epoch")
            ax.set_ylabel(metric)
            ax.grid(alpha=0.3)
            for prefix, style in (("", "-"), ("val_", "--")):
                label = "validation" if prefix else "training"
                (self.lines[prefix + metric],) = ax.plot([], [], style, marker=".", label=label)
            ax.legend(loc="best")
        self.output = output
        self._handle = None
        self.draw_count = 0

    def on_train_begin(self, logs=None):
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        self.update(self.history)

    def update(self, history):
        """Set the curves to ``history`` (a dict of per-epoch lists) and redraw."""
        for key, line in self.lines.items():
            values = history.get(key, [])
            line.set_data(np.arange(1, len(values) + 1), np.asarray(values, dtype=float))
        for ax in (self.ax_loss, self.ax_acc):
            ax.relim()
            ax.autoscale_view()
        self.redraw()

    def redraw(self):
        """Show the figure again, replacing the previous image."""
        self.draw_count += 1
        if self.output is not None:
            show_in(self.output, self.fig)
            return
        if not in_notebook():
            return
        from IPython.display import Image, display

        image = Image(data=figure_png(self.fig), format="png")
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)
