"""The Playground panel: controls, Play / Pause / Step / Reset, a live decision map and loss curves.

Only wiring: :mod:`helpers.core.playground` builds and trains the network,
:mod:`helpers.ui.player` runs the steps (in the background when Play is
clicked in a browser, synchronously from code), :class:`helpers.figures.plots2d.DecisionPlane`
draws. Any change of a setting pauses and starts again, as the Playground
does: the points are drawn again and a new network is built (both seeded, so
the same settings always start from the same place).
"""

import html
import threading
import time

import ipywidgets as w
from IPython.display import display

from helpers.core import parameters, playground, toy_data
from helpers.figures import plots2d
from helpers.figures.plotting import figure_png
from helpers.ui import figure_panel
from helpers.ui.controls import PANEL_CLASS, dropdown, slider
from helpers.ui.player import Player


def _controls(settings):
    s = settings
    return {
        "dataset": dropdown("data", list(toy_data.DATASETS), s.dataset),
        "noise": slider("noise %", s.noise, 0, 50, 5),
        "train_percent": slider("training data %", s.train_percent, 10, 90, 10),
        "hidden_layers": slider("hidden layers", s.hidden_layers, 0, 6),
        "neurons": slider("neurons per layer", s.neurons, 1, 8),
        "activation": dropdown("activation", list(playground.ACTIVATIONS), s.activation),
        "learning_rate": dropdown("learning rate", list(playground.LEARNING_RATES),
                                          s.learning_rate),
        "regularization": dropdown("regularization", list(playground.REGULARIZATIONS),
                                           s.regularization),
        "regularization_rate": dropdown("regularization rate",
                                                list(playground.REGULARIZATION_RATES),
                                                s.regularization_rate),
        "batch_size": slider("batch size", s.batch_size, 1, 30),
    }


class PlaygroundPanel:
    """TensorFlow Playground's controls around a real Keras network.

    Parameters
    ----------
    settings : PlaygroundSettings, optional
        Starting values of the controls (their choices must contain them).
    epochs_per_step : int
        Epochs trained per Step (and per redraw while playing).
    max_steps : int
        Play stops by itself after this many steps.
    notebook : str, optional
        The notebook the panel lives in, for :meth:`command`.
    parameter_prefix : str
        The notebook's parameters are the settings' names in capitals after
        this prefix (``PLAYGROUND_DATASET``, ...), plus ``<prefix>EPOCHS``.
    background : bool or None
        Where Play trains (see :class:`helpers.ui.player.Player`): by default in
        the background when clicked in a browser, synchronously from code.
    resolution : int
        Grid points per side of the decision map.
    """

    def __init__(self, settings=None, epochs_per_step=5, max_steps=400, notebook=None,
                 parameter_prefix="PLAYGROUND_", background=None, resolution=50):
        settings = (settings or playground.PlaygroundSettings()).validate()
        self.samples, self.seed = settings.samples, settings.seed
        self.notebook = notebook
        self.parameter_prefix = parameter_prefix
        self.resolution = resolution
        self.controls = _controls(settings)
        self.epochs_per_step = slider("epochs per step", int(epochs_per_step), 1, 50)
        self.callbacks = []  # passed to model.fit on every step
        self.playground = playground.Playground(settings)
        self.plane = plots2d.DecisionPlane(curves=True, size=3.4)
        self.image = figure_panel.image_widget(self.plane.fig)
        self.numbers = w.HTML()
        self.player = Player(self.train_step, self.redraw, self.reset_network,
                             max_steps=max_steps, background=background)
        self.command_button = w.Button(description="Show batch command", icon="terminal")
        self.command_output = w.HTML()
        self.command_button.on_click(lambda _: self._show_command())
        self.draw_count = 0
        self.last_step_seconds = None
        self._holding = False
        self._redraw_lock = threading.Lock()
        for control in self.controls.values():
            control.observe(self._settings_changed, names="value")
        values = list(self.controls.values())
        row = {"flex_flow": "row wrap"}
        self.widget = w.VBox([
            w.HBox(values[:5], layout=row), w.HBox(values[5:], layout=row),
            w.HBox([self.player.widget, self.epochs_per_step], layout=row),
            self.numbers, self.image, w.HBox([self.command_button, self.command_output]),
        ])
        self.widget.add_class(PANEL_CLASS)  # how the browser tests find panels
        self._show_points()
        self.redraw()

    # -- what the buttons do ------------------------------------------------------------

    def settings(self):
        """The controls' values as :class:`PlaygroundSettings` (validated)."""
        values = {name: control.value for name, control in self.controls.items()}
        return playground.PlaygroundSettings(**values, samples=self.samples, seed=self.seed).validate()

    def train_step(self):
        """Train one chunk (``epochs_per_step`` epochs), without drawing."""
        start = time.perf_counter()
        self.playground.train(self.epochs_per_step.value, callbacks=self.callbacks)
        self.last_step_seconds = time.perf_counter() - start

    def redraw(self):
        """Redraw the decision map, the points' title and the loss curves, in place."""
        with self._redraw_lock:
            pg = self.playground
            history = pg.history
            self.plane.show_map(pg.boundary(self.resolution))
            self.plane.show_curves(history["epoch"], history["loss"], history["test_loss"])
            self.plane.set_title(f"{pg.settings.dataset}, epoch {pg.epoch}")
            self.image.value = figure_png(self.plane.fig)
            numbers = pg.numbers()
            timing = (f" &nbsp; ({self.last_step_seconds:.2f} s per step)"
                      if self.last_step_seconds is not None else "")
            self.numbers.value = (
                f"epoch <b>{numbers['epoch']}</b> &nbsp; training loss <b>{numbers['loss']:.3f}</b>"
                f" &nbsp; test loss <b>{numbers['test_loss']:.3f}</b> &nbsp; test accuracy "
                f"<b>{numbers['test_accuracy']:.1%}</b>{timing}")
            self.draw_count += 1

    def reset_network(self):
        """Fresh data and network from the current controls (no drawing)."""
        self.playground.reset(self.settings())
        self.last_step_seconds = None
        self._show_points()

    def step(self):
        """One Step: train a chunk and redraw (synchronously)."""
        self.player.step()

    def run(self, steps):
        """``steps`` Steps one after the other, synchronously (for batch runs)."""
        self.player.run(steps)

    def reset(self):
        """What the Reset button does."""
        self.player.reset()

    def set(self, **values):
        """Set several controls at once, then reset once (not once per control)."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"no such control: {', '.join(sorted(unknown))}; "
                             f"the controls are {', '.join(self.controls)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.player.reset()

    def parameters(self):
        """The notebook's papermill parameters that repeat the current experiment."""
        if not self.notebook:
            raise ValueError("this panel was not told which notebook repeats its run "
                             "(pass notebook=... when creating it)")
        settings = {**self.settings().as_dict(), "epochs": self.playground.epoch}
        return parameters.settings_to_parameters(
            self.notebook, settings, prefix=self.parameter_prefix,
            defaults=playground.PlaygroundSettings().as_dict())

    def command(self):
        """The papermill command that repeats the current experiment in batch."""
        return parameters.papermill_command(self.notebook, self.parameters())

    # -- wiring -------------------------------------------------------------------------

    def _show_points(self):
        pg = self.playground
        self.plane.show_points(pg.x_train, pg.y_train, pg.x_test, pg.y_test)

    def _settings_changed(self, change):
        if self._holding:
            return
        try:
            self.player.reset()
        except Exception as error:  # e.g. a value a slider allows but the settings do not
            self.player.show_error(error)

    def _show_command(self):
        try:
            text = self.command()
        except ValueError as error:  # a setting the notebook has no parameter for, say
            text = f"No batch command: {error}"
        self.command_output.value = f"<code>{html.escape(text)}</code>"

    def _ipython_display_(self):
        display(self.widget)
