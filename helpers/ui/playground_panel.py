"""The Playground panel: TensorFlow Playground's controls, network diagram and output map, live.

Only wiring: :mod:`helpers.core.playground` builds and trains the network,
:mod:`helpers.ui.player` runs the steps (in the kernel's one queue of runs: in
the background when Play or Step is clicked in a browser, synchronously from
code), :mod:`helpers.ui.playground_controls` makes the controls,
:mod:`helpers.figures.network_diagram` draws the network and
:mod:`helpers.ui.playground_output` the OUTPUT column (numbers, loss chart, the
output map under the points). Any change of a setting starts again, as the
Playground does: the points are drawn again and a new network is built (both
seeded, so the same settings always start from the same place); if Play was on,
it goes on with the new network. "Show test data" and "Discretize output" only
change the picture.

Every redraw is cheap (the map is a small PNG, the diagram and the chart SVG
text): :meth:`PlaygroundPanel.measure_fluency` measures how many steps a second
that allows.

Under the map, each in a module of its own: **Inside a neuron**
(:mod:`helpers.ui.neuron_view`), **Show Keras code** (:mod:`helpers.ui.code_view`),
your own points from a CSV file (:mod:`helpers.ui.csv_upload`, the ``data_file``
control) and a link per exercise (:mod:`helpers.ui.link_box`, :meth:`PlaygroundPanel.apply_link`).
When the loss becomes NaN or infinite, Play stops and the numbers say why.
"""

import html
import statistics
import threading
import time

import ipywidgets as w

from helpers.core import checks, parameters, playground, playground_links
from helpers.figures import network_diagram
from helpers.ui import playground_controls
from helpers.ui.code_view import CodeView
from helpers.ui.controls import PANEL_CLASS, slider
from helpers.ui.link_box import LinkBox
from helpers.ui.neuron_view import NeuronView
from helpers.ui.player import Player
from helpers.ui.playground_output import COLUMN, VIEW_RULES, OutputView
from helpers.ui.static_view import StaticView


class PlaygroundPanel(StaticView):
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
        this prefix (``PLAYGROUND_DATASET``, ...), plus ``<prefix>EPOCHS``,
        ``<prefix>SHOW_TEST_DATA`` and ``<prefix>DISCRETIZE``.
    background : bool or None
        Where Play trains (see :class:`helpers.ui.player.Player`): by default in
        the background when clicked in a browser, synchronously from code.
    resolution : int
        Grid points per side of the output map and of each neuron's map.
    show_test_data : bool
        Show the test points (black edge) with the training points (white edge).
    discretize : bool
        Colour only the sign of the output (which class), not its size.
    map_size : int
        Pixels per side of the output map.

    Attributes
    ----------
    model : keras.Sequential
        The network being trained (``panel.model.summary()``, ``panel.model.get_weights()``).
    controls : dict
        The controls of the settings, by name (see :mod:`helpers.ui.playground_controls`).
    output : helpers.ui.playground_output.OutputView
        The numbers, the loss chart, the output map and the display options.
    """

    def __init__(
        self,
        settings=None,
        epochs_per_step=5,
        max_steps=400,
        notebook=None,
        parameter_prefix="PLAYGROUND_",
        background=None,
        resolution=50,
        show_test_data=False,
        discretize=False,
        map_size=300,
    ):
        settings = (settings or playground.PlaygroundSettings()).validate()
        self.output = OutputView(show_test_data, discretize, map_size)
        self.samples, self.seed = settings.samples, settings.seed
        self.notebook = notebook
        self.parameter_prefix = parameter_prefix
        self.resolution = int(resolution)
        self.controls = playground_controls.playground_controls(settings)
        self.epochs_per_step = slider("epochs per step", int(epochs_per_step), 1, 50)
        self.playground = playground.Playground(settings, resolution=self.resolution)
        self.diagram = w.HTML()
        self.player = Player(
            self.train_step, self.redraw, self.reset_network, max_steps=max_steps, background=background
        )
        self.command_button = w.Button(description="Show batch command", icon="terminal")
        self.command_output = w.HTML()
        self.command_button.on_click(lambda _: self._show_command())
        self.command_row = w.HBox([self.command_button, self.command_output])
        self.code_view, self.neuron_view, self.link_box = CodeView(self), NeuronView(self), LinkBox(self)
        self.hidden = []
        self.draw_count = 0
        self.last_step_seconds = None
        self.last_redraw_seconds = None
        self._holding = False
        self.redraw_lock = threading.RLock()
        self.controls["hidden_layers"].observe(
            lambda change: self.controls["neurons"].show(change["new"]), names="value"
        )
        for control in self.controls.values():
            control.observe(self._settings_changed, names="value")
        for control in self.output.view_controls.values():
            control.observe(self._view_changed, names="value")
        self.widget = self._layout()
        self.widget.add_class(PANEL_CLASS)  # how the browser tests find panels
        self.output.show_points(self.playground)
        self.redraw()

    @property
    def model(self):
        """The Keras network being trained."""
        return self.playground.model

    # -- what the buttons do ------------------------------------------------------------

    def settings(self):
        """The controls' values as :class:`PlaygroundSettings` (validated)."""
        values = {name: control.value for name, control in self.controls.items()}
        values["features"] = list(values["features"])
        values["neurons"] = list(values["neurons"][: max(1, values["hidden_layers"])])
        return playground.PlaygroundSettings(**values, samples=self.samples, seed=self.seed).validate()

    def train_step(self):
        """Train one chunk (``epochs_per_step`` epochs), without drawing."""
        start = time.perf_counter()
        try:
            self.playground.train(self.epochs_per_step.value)
        except playground.TrainingDiverged:  # the numbers say why; the map keeps the last finite state
            self.player.pause()
        self.last_step_seconds = time.perf_counter() - start

    def redraw(self):
        """Redraw the output map, the network, the loss chart and the numbers, in place."""
        with self.redraw_lock:
            start = time.perf_counter()
            snapshot = self.playground.snapshot
            self.output.draw(self.playground, self.last_step_seconds)
            self.diagram.value = network_diagram.network_svg(snapshot, self.output.view()["discretize"])
            self.neuron_view.redraw()
            self.draw_count += 1
            self.last_redraw_seconds = time.perf_counter() - start

    def reset_network(self):
        """Fresh data and network from the current controls (no drawing)."""
        self.playground.reset(self.settings())
        self.last_step_seconds = None
        self.output.show_points(self.playground)
        self.code_view.refresh()

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
        """Set several controls at once, then start again once (not once per control).

        Display options (``show_test_data``, ``discretize``) only redraw.
        Values are checked first: a bad one raises
        :class:`helpers.core.checks.ParameterError` naming it, and nothing changes.
        """
        view_controls = self.output.view_controls
        unknown = set(values) - set(self.controls) - set(view_controls)
        if unknown:
            raise ValueError(
                f"no such control: {', '.join(sorted(unknown))}; the controls are "
                f"{', '.join([*self.controls, *view_controls])}"
            )
        view = {name: value for name, value in values.items() if name in view_controls}
        checks.check_values(view, {name: VIEW_RULES[name] for name in view})
        settings = {name: value for name, value in values.items() if name in self.controls}
        if settings:
            current = {name: control.value for name, control in self.controls.items()}
            playground.PlaygroundSettings(**{**current, **settings}, samples=self.samples, seed=self.seed).validate()
        self._holding = True
        try:
            for name, value in values.items():
                (self.controls.get(name) or view_controls[name]).value = value
        finally:
            self._holding = False
        if settings:
            self._start_again()
        elif view:
            self._view_changed(None)

    def hide(self, names):
        """Hide some controls and show all the others.

        Parameters
        ----------
        names : sequence of str
            Names of ``playground_links.HIDEABLE``.
        """
        playground_links.parse_link("hide=" + ",".join(names))  # refuses a name that is no control
        widgets = {
            **self.controls,
            **self.output.view_controls,
            "epochs_per_step": self.epochs_per_step,
            "code": self.code_view.widget,
            "neuron": self.neuron_view.widget,
            "points": self.controls["data_file"],
            "link": self.link_box.widget,
            "command": self.command_row,
        }
        self.hidden = list(names)
        for name, widget in widgets.items():
            widget.layout.display = "none" if name in names or name == "points" and "data_file" in names else None

    def link_query(self):
        """The current state as a link's query string (see :mod:`helpers.core.playground_links`)."""
        settings = self.settings().as_dict()
        values = {name: settings[name] for name in playground_links.LINK_SETTINGS}
        # The neurons of the layers there are (none without hidden layers: left out of the link).
        values["neurons"] = self.settings().layer_sizes() or playground.PlaygroundSettings().neurons
        return playground_links.link_query({**values, **self.output.view()}, self.hidden)

    def apply_link(self, text):
        """Set the controls a link (a URL or its query string) asks for and hide those it names.

        A bad link raises :class:`helpers.core.checks.ParameterError` naming the problem, and nothing changes.

        Parameters
        ----------
        text : str
            A URL, or its query string (``dataset=xor&hidden_layers=0&hide=features``).
        """
        link = playground_links.parse_link(text)
        if link.values:
            self.set(**link.values)
        self.hide(link.hidden)

    def parameters(self):
        """The notebook's papermill parameters that repeat the current experiment."""
        if not self.notebook:
            raise ValueError(
                "this panel was not told which notebook repeats its run (pass notebook=... when creating it)"
            )
        settings = {**self.settings().as_dict(), "epochs": self.playground.epoch, **self.output.view()}
        defaults = {**playground.PlaygroundSettings().as_dict(), "show_test_data": False, "discretize": False}
        return parameters.settings_to_parameters(
            self.notebook, settings, prefix=self.parameter_prefix, defaults=defaults
        )

    def command(self):
        """The papermill command that repeats the current experiment in batch."""
        return parameters.papermill_command(self.notebook, self.parameters())

    def figure(self):
        """The output map with the points and the loss curves as a matplotlib figure (for a saved notebook).

        Drawn once, when asked: the panel itself never renders matplotlib figures.

        Returns
        -------
        matplotlib.figure.Figure
        """
        return self.output.figure(self.playground)

    def measure_fluency(self, seconds=5.0, reset=True):
        """Step as fast as possible for about ``seconds`` and report how fluent the panel is.

        Runs the real Step (train ``epochs_per_step`` epochs, then redraw
        everything) synchronously, with no browser: what Play does, minus the
        time the browser takes to show each picture. The panel is left trained.

        Parameters
        ----------
        seconds : float
            How long to keep stepping (at least two steps are made).
        reset : bool
            Start from a fresh network, and time that reset (a changed control
            costs the same).

        Returns
        -------
        dict
            ``redraws_per_second`` (steps with their redraw, per second),
            ``seconds_per_step`` (mean wall time of a step, redraw included),
            ``seconds_per_train`` and ``seconds_per_redraw`` (medians of the two
            parts), ``steps``, ``epochs_per_step``, ``first_step_seconds``
            (the first step, which may compile the training loop: after a new
            network, the time from a changed control to the trained picture is
            ``reset_seconds + first_step_seconds``) and ``reset_seconds``
            (None without ``reset``).
        """
        reset_seconds = None
        if reset:
            start = time.perf_counter()
            self.reset()
            reset_seconds = time.perf_counter() - start
        start = time.perf_counter()
        self.step()
        first = time.perf_counter() - start
        trains, redraws = [], []
        start = time.perf_counter()
        while True:
            self.step()
            trains.append(self.last_step_seconds)
            redraws.append(self.last_redraw_seconds)
            elapsed = time.perf_counter() - start
            if elapsed >= seconds and len(trains) >= 2:
                break
        return {
            "redraws_per_second": len(trains) / elapsed,
            "seconds_per_step": elapsed / len(trains),
            "seconds_per_train": statistics.median(trains),
            "seconds_per_redraw": statistics.median(redraws),
            "steps": len(trains),
            "epochs_per_step": self.epochs_per_step.value,
            "first_step_seconds": first,
            "reset_seconds": reset_seconds,
        }

    # -- wiring -------------------------------------------------------------------------

    def _layout(self):
        c = self.controls
        top = w.HBox(
            [
                self.player.widget,
                self.epochs_per_step,
                c["learning_rate"],
                c["activation"],
                c["regularization"],
                c["regularization_rate"],
            ],
            layout={"flex_flow": "row wrap"},
        )
        data = w.VBox(
            [w.HTML("<b>DATA</b>"), c["dataset"], c["data_file"], c["noise"], c["train_percent"], c["batch_size"]],
            layout=COLUMN,
        )
        network = w.VBox(
            [w.HTML("<b>NETWORK</b>"), c["features"], c["hidden_layers"], c["neurons"], self.diagram], layout=COLUMN
        )
        return w.VBox(
            [
                top,
                w.HBox([data, network, self.output.widget], layout={"flex_flow": "row wrap"}),
                self.neuron_view.widget,
                self.code_view.widget,
                self.link_box.widget,
                self.command_row,
            ]
        )

    def _settings_changed(self, change):
        if self._holding:
            return
        if change["owner"] is self.controls["dataset"] and self.controls["data_file"].value:
            self._holding = True  # a data set chosen in the menu replaces your points
            try:
                self.controls["data_file"].value = ""
            finally:
                self._holding = False
        self._start_again()

    def _start_again(self):
        """Reset to the controls' settings; if Play was on, play on with the new network."""
        try:
            self.settings()  # a bad combination is shown, and the old network kept
        except ValueError as error:
            self.player.show_error(error)
            return
        self.player.last_error = None
        self.player.status.value = ""
        self.player.restart()  # pauses, waits for the step under way, resets, plays on if it was playing

    def _view_changed(self, change):
        if self._holding:
            return
        with self.redraw_lock:  # a step may be redrawing in the background
            self.output.show_points(self.playground)
            self.redraw()

    def _show_command(self):
        try:
            text = self.command()
        except ValueError as error:  # a setting the notebook has no parameter for, say
            text = f"No batch command: {error}"
        self.command_output.value = f"<code>{html.escape(text)}</code>"

    def static_png(self):
        """The decision map as last drawn (PNG bytes), or None before the first draw."""
        return self.output.image.png or None

    def static_description(self):
        """The map's text alternative, as the live panel gives it."""
        return self.output.image.description_text

    def static_status(self):
        """The panel's numbers (losses, accuracy, epoch) as HTML."""
        return self.output.numbers.value
