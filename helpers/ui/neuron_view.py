"""Inside a neuron: pick one and see its inputs, weights, bias, the sum with the numbers, and its map.

Only wiring: :mod:`helpers.core.playground_neuron` works the numbers out. The
view redraws with the panel while it is open, and costs nothing while closed.
"""

import html

import ipywidgets as w
import numpy as np

from helpers.core import playground_neuron
from helpers.figures import descriptions, network_diagram, plots2d
from helpers.ui.controls import MUTED_COLOR
from helpers.ui.described_image import DescribedImage

MAP_PIXELS = 120


class NeuronView:
    """An "Inside a neuron" toggle, a menu of neurons, a training point, the worked sum and the neuron's map.

    Parameters
    ----------
    panel : helpers.ui.playground_panel.PlaygroundPanel
        Where the snapshot and the training points come from.
    """

    def __init__(self, panel):
        self.panel = panel
        self.button = w.ToggleButton(
            description="Inside a neuron",
            icon="search",
            tooltip="the weights, bias and sum of one neuron, live",
            layout={"width": "160px"},
        )
        self.choice = w.Dropdown(description="neuron", options=[], style={"description_width": "initial"})
        self.point = w.BoundedIntText(
            value=1,
            min=1,
            max=1,
            description="at training point",
            style={"description_width": "initial"},
            layout={"width": "200px"},
        )
        self.text = w.HTML()
        self.image = DescribedImage(
            image_style=f"width: {MAP_PIXELS}px; height: {MAP_PIXELS}px; image-rendering: pixelated"
        )
        self.body = w.HBox(
            [w.VBox([w.HBox([self.choice, self.point], layout={"flex_flow": "row wrap"}), self.text]), self.image],
            layout={"display": "none"},
        )
        self.widget = w.VBox([self.button, self.body])
        self.button.observe(self._toggled, names="value")
        self._filling = False
        for control in (self.choice, self.point):
            control.observe(lambda change: None if self._filling else self._redraw_now(), names="value")

    def _toggled(self, change):
        self.body.layout.display = None if change["new"] else "none"
        self._redraw_now()

    def _redraw_now(self):
        with self.panel.redraw_lock:  # a step may be redrawing in the background
            self.redraw()

    def redraw(self):
        """Show the chosen neuron in the panel's latest snapshot (nothing while the view is closed)."""
        if not self.button.value:
            return
        pg = self.panel.playground
        snapshot = pg.snapshot
        choices = playground_neuron.neuron_choices(snapshot)
        if list(self.choice.options) != choices:
            chosen = self.choice.value
            self._filling = True
            try:
                self.choice.options = choices
                self.choice.value = chosen if chosen in dict(choices).values() else choices[-1][1]
            finally:
                self._filling = False
        self.point.max = len(pg.x_train)
        layer, unit = self.choice.value
        point = pg.x_train[min(self.point.value, len(pg.x_train)) - 1]
        detail = playground_neuron.neuron_detail(snapshot, layer, unit, point)
        self.text.value = neuron_html(detail)
        output = layer == len(snapshot.weights) - 1
        kind = "probability" if output and not snapshot.settings.regression else "value"
        values = network_diagram.neuron_values(playground_neuron.neuron_map(snapshot, layer, unit), kind)
        pixels = plots2d.color_values(np.asarray(values)[::-1], False, plots2d.MAP_OPACITY)
        self.image.set(
            plots2d.png_bytes(pixels), descriptions.neuron_map_description(detail.name, values, snapshot.epoch)
        )


def neuron_html(detail):
    """The neuron's numbers as HTML: its sum with the weights, then worked out at the point.

    Parameters
    ----------
    detail : helpers.core.playground_neuron.NeuronDetail

    Returns
    -------
    str
    """
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td style='text-align:right'>{value:.3f}</td>"
        f"<td style='text-align:right'>{weight:+.3f}</td></tr>"
        for name, value, weight in zip(detail.input_names, detail.inputs, detail.weights)
    )
    x1, x2 = detail.point
    return (
        f"<div style='line-height: 1.5'><b>{html.escape(detail.name)}</b> = {detail.activation}(z), "
        f"<code>{html.escape(detail.formula())}</code><br>"
        f"<table style='font-size: 12px'><tr><th>input</th><th>value at the point</th><th>weight</th></tr>"
        f"{rows}<tr><td>bias</td><td></td><td style='text-align:right'>{detail.bias:+.3f}</td></tr></table>"
        f"At the point ({x1:.2f}, {x2:.2f}): <code>{html.escape(detail.worked_sum())}</code>, "
        f"<code>{html.escape(detail.worked_output())}</code>"
        f"<div style='color:{MUTED_COLOR}'>The map: this neuron's output over the whole plane.</div></div>"
    )
