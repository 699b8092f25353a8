"""The playground panel's OUTPUT column: the numbers, the loss chart, the output map under the points.

:class:`OutputView` shows what a :class:`helpers.core.playground.Playground` last
computed, and its two display options ("Show test data", "Discretize output"),
which change only the picture. Every redraw is cheap: the output map is sent as
a small PNG of the grid that the browser scales up, under a transparent layer of
points that changes only with the data (:class:`helpers.figures.plots2d.MapImage`);
the loss chart is SVG text. :meth:`OutputView.figure` draws the same as a
matplotlib figure, for a saved notebook. :mod:`helpers.ui.playground_panel`
redraws it after every step.
"""

import html

import ipywidgets as w

from helpers.core import checks, memory
from helpers.figures import descriptions, plots2d
from helpers.ui.controls import ERROR_COLOR, MUTED_COLOR, PLOT_CLASS
from helpers.ui.described_image import DescribedImage

#: The panel's display options (not settings of the experiment) and their rules.
VIEW_RULES = {"show_test_data": "bool", "discretize": "bool"}
#: The layout of each of the panel's columns (data, network, output).
COLUMN = {"flex_flow": "column", "margin": "0 12px 0 0"}


class OutputView:
    """The numbers, the loss chart and the output map with the points, and the display options.

    Parameters
    ----------
    show_test_data : bool
        Show the test points (black edge) with the training points (white edge).
    discretize : bool
        Colour only the sign of the output (which class), not its size.
    map_size : int
        Pixels per side of the output map.

    Attributes
    ----------
    view_controls : dict of ipywidgets.Checkbox
        The display options, by name (see :data:`VIEW_RULES`).
    image : helpers.ui.described_image.DescribedImage
        The output map, with its text alternative.
    overlay : helpers.ui.described_image.DescribedImage
        The frame and the points over the map (decoration for a screen reader).
    chart, numbers : ipywidgets.HTML
        The loss curves (SVG) and the line of numbers.
    widget : ipywidgets.VBox
        The column.

    Raises
    ------
    helpers.core.checks.ParameterError
        If a display option is not True or False.
    """

    def __init__(self, show_test_data=False, discretize=False, map_size=300):
        checks.check_values({"show_test_data": show_test_data, "discretize": discretize}, VIEW_RULES)
        self.view_controls = {
            "show_test_data": w.Checkbox(value=show_test_data, description="Show test data", indent=False),
            "discretize": w.Checkbox(value=discretize, description="Discretize output", indent=False),
        }
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
        self.chart = w.HTML()
        self.numbers = w.HTML()
        self.widget = w.VBox(
            [
                w.HTML("<b>OUTPUT</b>"),
                self.numbers,
                self.chart,
                self.map_box,
                w.HBox(list(self.view_controls.values())),
            ],
            layout=COLUMN,
        )

    def view(self):
        """The display options: ``{"show_test_data": ..., "discretize": ...}``."""
        return {name: control.value for name, control in self.view_controls.items()}

    def show_points(self, playground):
        """Draw the points of ``playground`` over the map (the test points too if shown).

        Parameters
        ----------
        playground : helpers.core.playground.Playground
        """
        regression = playground.settings.regression

        def colour(y):
            return y if regression else 2 * y - 1.0

        show_test = self.view_controls["show_test_data"].value
        self.map.set_points(
            playground.x_train,
            colour(playground.y_train),
            playground.x_test if show_test else None,
            colour(playground.y_test),
        )

    def draw(self, playground, step_seconds=None):
        """Redraw the output map, the loss chart and the numbers of ``playground``, in place.

        Parameters
        ----------
        playground : helpers.core.playground.Playground
        step_seconds : float or None
            How long the last step took, shown with the numbers.
        """
        snapshot, history = playground.snapshot, playground.history
        output = snapshot.output_map
        if not snapshot.settings.regression:
            output = 2 * output - 1  # probability of blue -> the colour scale
        discretize = self.view_controls["discretize"].value
        self.image.set(self.map.background_png(output, discretize), self._map_description(playground))
        overlay = self.map.overlay_png()
        if self.overlay.png != overlay:
            self.overlay.set(overlay)
        count = min(len(history["epoch"]), len(history["loss"]), len(history["test_loss"]))
        self.chart.value = plots2d.loss_chart_svg(
            history["epoch"][:count], history["loss"][:count], history["test_loss"][:count], width=self.map.width
        )
        self.numbers.value = self._numbers_html(playground, step_seconds)

    def figure(self, playground):
        """The output map with the points and the loss curves as a matplotlib figure (for a saved notebook).

        Drawn once, when asked: the live column never renders matplotlib figures.

        Parameters
        ----------
        playground : helpers.core.playground.Playground

        Returns
        -------
        matplotlib.figure.Figure
        """
        pg = playground
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

    def _map_description(self, playground):
        numbers = playground.metrics()
        return descriptions.decision_map_description(
            int(numbers["epoch"]),
            numbers["test_loss"],
            numbers["loss"],
            numbers["test_accuracy"],
            regression=playground.snapshot.settings.regression,
        )

    def _numbers_html(self, playground, step_seconds):
        numbers = playground.metrics()
        accuracy = (
            "" if numbers["test_accuracy"] is None else f" &nbsp; test accuracy <b>{numbers['test_accuracy']:.1%}</b>"
        )
        timing = f" &nbsp; ({step_seconds:.2f} s per step)" if step_seconds is not None else ""
        loss = "squared error" if playground.snapshot.settings.regression else "cross-entropy"
        stopped = playground.diverged
        stopped = f"<div style='color:{ERROR_COLOR}'>{html.escape(stopped)}</div>" if stopped else ""
        return (
            f"{stopped}epoch <b>{numbers['epoch']}</b> &nbsp; test loss <b>{numbers['test_loss']:.3f}</b>"
            f" &nbsp; training loss <b>{numbers['loss']:.3f}</b>{accuracy}"
            f" <span style='color:{MUTED_COLOR}'>({loss}){timing} &nbsp;·&nbsp;"
            f" <span class='nnf-memory'>{memory.memory_text()}</span></span>"
        )
