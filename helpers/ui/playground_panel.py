"""The Playground panel: TensorFlow Playground's controls, network diagram and output map, live.

Only wiring: :mod:`helpers.core.playground` builds and trains the network,
:mod:`helpers.ui.player` runs the steps (in the kernel's one queue of runs: in
the background when Play or Step is clicked in a browser, synchronously from
code), :mod:`helpers.figures.network_diagram` and :class:`helpers.figures.plots2d.MapImage`
draw. Any change of a setting starts again, as the Playground does: the points
are drawn again and a new network is built (both seeded, so the same settings
always start from the same place); if Play was on, it goes on with the new
network. "Show test data" and "Discretize output" only change the picture.

Every redraw is cheap: the output map is sent as a small PNG of the grid that
the browser scales up, under a transparent layer of points that changes only
with the data; the diagram is SVG text. :meth:`PlaygroundPanel.measure_fluency`
measures how many steps a second that allows.

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

from helpers.core import checks, memory, parameters, playground, playground_links
from helpers.figures import descriptions, network_diagram, plots2d
from helpers.ui import playground_controls
from helpers.ui.code_view import CodeView
from helpers.ui.controls import ERROR_COLOR, MUTED_COLOR, PANEL_CLASS, PLOT_CLASS, slider
from helpers.ui.described_image import DescribedImage
from helpers.ui.link_box import LinkBox
from helpers.ui.neuron_view import NeuronView
from helpers.ui.player import Player
from helpers.ui.static_view import StaticView

#: The panel's display options (not settings of the experiment) and their rules.
VIEW_RULES = {"show_test_data": "bool", "discretize": "bool"}


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
        checks.check_values({"show_test_data": show_test_data, "discretize": discretize}, VIEW_RULES)
        self.samples, self.seed = settings.samples, settings.seed
        self.notebook = notebook
        self.parameter_prefix = parameter_prefix
        self.resolution = int(resolution)
        self.controls = playground_controls.playground_controls(settings)
        self.view_controls = {
            "show_test_data": w.Checkbox(value=show_test_data, description="Show test data", indent=False),
            "discretize": w.Checkbox(value=discretize, description="Discretize output", indent=False),
        }
        self.epochs_per_step = slider("epochs per step", int(epochs_per_step), 1, 50)
        self.playground = playground.Playground(settings, resolution=self.resolution)
        self.map = plots2d.MapImage(size=map_size)
        # The map's picture carries its text alternative; the points drawn over it are decoration.
        fill = "display: block; width: 100%; height: 100%; object-fit: fill"
        self.image = DescribedImage(
            image_style=fill,
            layout={
                "grid_area": "map",
                "width": f"{self.map.size}px",
                "height": f"{self.map.size}px",
                "margin": f"{self.map.box[0]}px 0 0 {self.map.box[1]}px",
            },
        )
        self.overlay = DescribedImage(
            image_style=fill,
            layout={"grid_area": "map", "width": f"{self.map.width}px", "height": f"{self.map.height}px"},
        )
        self.map_box = w.GridBox(
            [self.image, self.overlay],
            layout={
                "grid_template_areas": '"map"',
                "width": f"{self.map.width}px",
                "height": f"{self.map.height}px",
                "overflow": "hidden",
            },
        )  # no scroll region without focus
        self.map_box.add_class(PLOT_CLASS)  # the output map is the panel's plot (for the browser tests)
        self.diagram = w.HTML()
        self.chart = w.HTML()
        self.numbers = w.HTML()
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
        for control in self.view_controls.values():
            control.observe(self._view_changed, names="value")
        self.widget = self._layout()
        self.widget.add_class(PANEL_CLASS)  # how the browser tests find panels
        self._show_points()
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

    def view(self):
        """The display options: ``{"show_test_data": ..., "discretize": ...}``."""
        return {name: control.value for name, control in self.view_controls.items()}

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
            pg = self.playground
            snapshot, history, view = pg.snapshot, pg.history, self.view()
            output = snapshot.output_map
            if not snapshot.settings.regression:
                output = 2 * output - 1  # probability of blue -> the colour scale
            self.image.set(self.map.background_png(output, view["discretize"]), self._map_description(snapshot))
            overlay = self.map.overlay_png()
            if self.overlay.png != overlay:
                self.overlay.set(overlay)
            self.diagram.value = network_diagram.network_svg(snapshot, view["discretize"])
            count = min(len(history["epoch"]), len(history["loss"]), len(history["test_loss"]))
            self.chart.value = plots2d.loss_chart_svg(
                history["epoch"][:count], history["loss"][:count], history["test_loss"][:count], width=self.map.width
            )
            self.numbers.value = self._numbers_html(snapshot)
            self.neuron_view.redraw()
            self.draw_count += 1
            self.last_redraw_seconds = time.perf_counter() - start

    def reset_network(self):
        """Fresh data and network from the current controls (no drawing)."""
        self.playground.reset(self.settings())
        self.last_step_seconds = None
        self._show_points()
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
        unknown = set(values) - set(self.controls) - set(self.view_controls)
        if unknown:
            raise ValueError(
                f"no such control: {', '.join(sorted(unknown))}; the controls are "
                f"{', '.join([*self.controls, *self.view_controls])}"
            )
        view = {name: value for name, value in values.items() if name in self.view_controls}
        checks.check_values(view, {name: VIEW_RULES[name] for name in view})
        settings = {name: value for name, value in values.items() if name in self.controls}
        if settings:
            current = {name: control.value for name, control in self.controls.items()}
            playground.PlaygroundSettings(**{**current, **settings}, samples=self.samples, seed=self.seed).validate()
        self._holding = True
        try:
            for name, value in values.items():
                (self.controls.get(name) or self.view_controls[name]).value = value
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
            **self.view_controls,
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
        return playground_links.link_query({**values, **self.view()}, self.hidden)

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
        settings = {**self.settings().as_dict(), "epochs": self.playground.epoch, **self.view()}
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
        """
        pg = self.playground
        snapshot, history, view = pg.snapshot, pg.history, self.view()
        regression = snapshot.settings.regression
        output = snapshot.output_map
        shown = (output + 1) / 2 if regression else output  # DecisionPlane colours 0..1
        if view["discretize"]:
            shown = (shown >= 0.5).astype(float)
        plane = plots2d.DecisionPlane(curves=True, size=3.4)
        plane.set_title(f"{snapshot.settings.dataset}, epoch {snapshot.epoch}")
        plane.show_map(shown)

        def colour(y):
            return (y + 1) / 2 if regression else y

        test = (pg.x_test, colour(pg.y_test)) if view["show_test_data"] else (None, None)
        plane.show_points(pg.x_train, colour(pg.y_train), *test)
        plane.show_curves(history["epoch"], history["loss"], history["test_loss"])
        plane.ax_loss.set_ylabel("squared error" if regression else "cross-entropy")
        return plane.fig

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
        column = {"flex_flow": "column", "margin": "0 12px 0 0"}
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
            layout=column,
        )
        network = w.VBox(
            [w.HTML("<b>NETWORK</b>"), c["features"], c["hidden_layers"], c["neurons"], self.diagram], layout=column
        )
        output = w.VBox(
            [
                w.HTML("<b>OUTPUT</b>"),
                self.numbers,
                self.chart,
                self.map_box,
                w.HBox(list(self.view_controls.values())),
            ],
            layout=column,
        )
        return w.VBox(
            [
                top,
                w.HBox([data, network, output], layout={"flex_flow": "row wrap"}),
                self.neuron_view.widget,
                self.code_view.widget,
                self.link_box.widget,
                self.command_row,
            ]
        )

    def _map_description(self, snapshot):
        numbers = self.playground.metrics()
        return descriptions.decision_map_description(
            int(numbers["epoch"]),
            numbers["test_loss"],
            numbers["loss"],
            numbers["test_accuracy"],
            regression=snapshot.settings.regression,
        )

    def _numbers_html(self, snapshot):
        numbers = self.playground.metrics()
        accuracy = (
            "" if numbers["test_accuracy"] is None else f" &nbsp; test accuracy <b>{numbers['test_accuracy']:.1%}</b>"
        )
        timing = f" &nbsp; ({self.last_step_seconds:.2f} s per step)" if self.last_step_seconds is not None else ""
        loss = "squared error" if snapshot.settings.regression else "cross-entropy"
        stopped = self.playground.diverged
        stopped = f"<div style='color:{ERROR_COLOR}'>{html.escape(stopped)}</div>" if stopped else ""
        return (
            f"{stopped}epoch <b>{numbers['epoch']}</b> &nbsp; test loss <b>{numbers['test_loss']:.3f}</b>"
            f" &nbsp; training loss <b>{numbers['loss']:.3f}</b>{accuracy}"
            f" <span style='color:{MUTED_COLOR}'>({loss}){timing} &nbsp;·&nbsp;"
            f" <span class='nnf-memory'>{memory.memory_text()}</span></span>"
        )

    def _show_points(self):
        pg = self.playground
        regression = pg.settings.regression

        def colour(y):
            return y if regression else 2 * y - 1.0

        show_test = self.view_controls["show_test_data"].value
        self.map.set_points(pg.x_train, colour(pg.y_train), pg.x_test if show_test else None, colour(pg.y_test))

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
            self._show_points()
            self.redraw()

    def _show_command(self):
        try:
            text = self.command()
        except ValueError as error:  # a setting the notebook has no parameter for, say
            text = f"No batch command: {error}"
        self.command_output.value = f"<code>{html.escape(text)}</code>"

    def static_png(self):
        """The decision map as last drawn (PNG bytes), or None before the first draw."""
        return self.image.png or None

    def static_description(self):
        """The map's text alternative, as the live panel gives it."""
        return self.image.description_text

    def static_status(self):
        """The panel's numbers (losses, accuracy, epoch) as HTML."""
        return self.numbers.value
