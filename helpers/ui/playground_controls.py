"""The playground's controls: TensorFlow Playground's menus and sliders, feature toggles, layer sizes.

:func:`playground_controls` makes one control per setting of
:class:`helpers.core.playground.PlaygroundSettings`, each showing the
setting's value; :mod:`helpers.ui.playground_panel` wires them to the network.
"""

import ipywidgets as w
import traitlets

from helpers.core import playground, toy_data
from helpers.figures import network_diagram
from helpers.ui.controls import dropdown, slider
from helpers.ui.csv_upload import PointsUpload


class FeatureChooser(w.HBox):
    """One toggle button per input feature; ``value`` is the list of those switched on."""

    value = traitlets.List(traitlets.Unicode())

    def __init__(self, value, choices=playground.FEATURES):
        self._names = list(choices)
        self._syncing = False
        self.toggles = [
            w.ToggleButton(
                description=network_diagram.FEATURE_LABELS.get(name, name),
                tooltip=name,
                value=name in value,
                layout={"width": "62px"},
            )
            for name in self._names
        ]
        super().__init__([w.Label("features"), *self.toggles], layout={"flex_flow": "row wrap"})
        self.value = list(value)
        for toggle in self.toggles:
            toggle.observe(self._toggled, names="value")

    def _toggled(self, change):
        if not self._syncing:
            self.value = [name for name, toggle in zip(self._names, self.toggles) if toggle.value]

    @traitlets.observe("value")
    def _show(self, change):
        self._syncing = True
        try:
            for name, toggle in zip(self._names, self.toggles):
                toggle.value = name in change["new"]
        finally:
            self._syncing = False


class LayerSizes(w.HBox):
    """A box per hidden layer for its number of neurons; ``value`` lists all of them.

    A shorter list is padded with its last entry, as the settings read it;
    :meth:`show` hides the boxes of layers the network does not have (a layer
    added later gets the number its box shows).
    """

    value = traitlets.List(traitlets.Int())

    def __init__(self, value, layers, count=playground.MAX_HIDDEN_LAYERS, most=playground.MAX_NEURONS):
        self._syncing = False
        # Each box's name for a screen reader is its description, kept out of sight (zero width): the
        # visible "neurons per layer" says it for all of them, and a tooltip never reaches the <input>.
        self.boxes = [
            w.BoundedIntText(
                value=1,
                min=1,
                max=most,
                layout={"width": "60px"},
                description=f"neurons in hidden layer {i + 1}",
                style={"description_width": "0px"},
                tooltip=f"neurons in hidden layer {i + 1}",
            )
            for i in range(count)
        ]
        super().__init__([w.Label("neurons per layer"), *self.boxes], layout={"flex_flow": "row wrap"})
        self.value = list(value)
        for box in self.boxes:
            box.observe(self._typed, names="value")
        self.show(layers)

    def show(self, layers):
        """Show the boxes of the first ``layers`` layers only."""
        for index, box in enumerate(self.boxes):
            box.layout.display = None if index < layers else "none"

    @traitlets.validate("value")
    def _pad(self, proposal):
        values = list(proposal["value"]) or [1]
        return (values + values[-1:] * len(self.boxes))[: len(self.boxes)]

    def _typed(self, change):
        if not self._syncing:
            self.value = [box.value for box in self.boxes]

    @traitlets.observe("value")
    def _show_values(self, change):
        self._syncing = True
        try:
            for box, value in zip(self.boxes, change["new"]):
                box.value = value
        finally:
            self._syncing = False


def playground_controls(settings):
    """One control per setting of ``settings`` (a :class:`PlaygroundSettings`), by the setting's name."""
    s = settings
    datasets = [(name, name) for name in toy_data.DATASETS] + [
        (f"{name} (regression)", name) for name in toy_data.REGRESSION_DATASETS
    ]
    return {
        "dataset": dropdown("data", datasets, s.dataset),
        "noise": slider("noise %", s.noise, 0, 50, 5),
        "train_percent": slider("training data %", s.train_percent, 10, 90, 10),
        "batch_size": slider("batch size", s.batch_size, 1, 30),
        "features": FeatureChooser(s.features),
        "hidden_layers": slider("hidden layers", s.hidden_layers, 0, playground.MAX_HIDDEN_LAYERS),
        "neurons": LayerSizes(s.neurons, s.hidden_layers),
        "activation": dropdown("activation", list(playground.ACTIVATIONS), s.activation),
        "learning_rate": dropdown("learning rate", list(playground.LEARNING_RATES), s.learning_rate),
        "regularization": dropdown("regularization", list(playground.REGULARIZATIONS), s.regularization),
        "regularization_rate": dropdown(
            "regularization rate", list(playground.REGULARIZATION_RATES), s.regularization_rate
        ),
        "data_file": PointsUpload(s.data_file),
    }
