"""Controls wired to a function that updates a figure, redrawn in place.

For panels that recompute rather than train (a decision line under three
sliders, a neuron's curve, softmax over a few logits): every change of a
control calls the update function with all control values; it changes the
figure's artists and returns a line of numbers to show. The figure is rendered
to PNG into an ``ipywidgets.Image``, so it is replaced, not appended, and the
same works from a background thread.
"""

import ipywidgets as w
from IPython.display import display

from helpers.figures.plotting import figure_png
from helpers.ui.controls import PANEL_CLASS


def image_widget(fig):
    """An empty ``ipywidgets.Image`` as wide as ``fig`` renders (not stretched to the page)."""
    return w.Image(format="png", layout={"width": f"{round(fig.get_figwidth() * fig.dpi)}px"})


class FigurePanel:
    """Controls, a status line and a figure that follows them.

    Parameters
    ----------
    controls : dict
        Name -> widget; each widget's ``value`` is passed to ``update`` under that name.
    update : callable
        ``update(**values)`` changes the figure and returns an HTML string for the
        status line (or ``None``).
    fig : matplotlib.figure.Figure
        The figure ``update`` draws on.
    buttons : sequence of ipywidgets.Widget, optional
        Shown after the controls but not watched (e.g. a :class:`helpers.ui.player.Player`'s
        buttons, whose redraw calls :meth:`refresh`).
    """

    def __init__(self, controls, update, fig, buttons=()):
        self.controls = dict(controls)
        self.update_function = update
        self.fig = fig
        self.status = w.HTML()
        self.image = image_widget(fig)
        self.last_error = None
        self.draw_count = 0
        for control in self.controls.values():
            control.observe(lambda _: self.refresh(), names="value")
        self.widget = w.VBox([
            w.HBox([*self.controls.values(), *buttons], layout={"flex_flow": "row wrap"}),
            self.status, self.image,
        ])
        self.widget.add_class(PANEL_CLASS)  # how the browser tests find panels
        self.refresh()

    def values(self):
        """The current control values, as a dict of name -> value."""
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self):
        """Call the update function with the current values and redraw the figure."""
        try:
            text = self.update_function(**self.values())
        except Exception as error:  # shown in the panel: an observer's exception is easily lost
            self.last_error = error
            self.status.value = f"<span style='color:#b00'>Error: {type(error).__name__}: {error}</span>"
            return
        self.last_error = None
        self.status.value = text or ""
        self.image.value = figure_png(self.fig)
        self.draw_count += 1

    def _ipython_display_(self):
        display(self.widget)
