"""Controls wired to a function that updates a figure, redrawn in place.

For panels that recompute rather than train (a decision line under three
sliders, a neuron's curve, softmax over a few logits): every change of a
control calls the update function with all control values; it changes the
figure's artists and returns a line of numbers to show. The figure is rendered
to PNG into an ``ipywidgets.Image``, so it is replaced, not appended, and the
same works from a background thread.
"""

import ipywidgets as w

from helpers.figures import descriptions
from helpers.figures.plotting import figure_png
from helpers.ui.controls import PANEL_CLASS, error_html
from helpers.ui.described_image import DescribedImage
from helpers.ui.static_view import StaticView


def image_widget(fig):
    """An empty :class:`DescribedImage` as wide as ``fig`` renders (not stretched to the page)."""
    width = f"{round(fig.get_figwidth() * fig.dpi)}px"
    return DescribedImage(image_style="width: 100%", layout={"width": width})


class FigurePanel(StaticView):
    """Controls, a status line and a figure that follows them.

    Displayed, it is the live widget and, for pages without a kernel, the figure it shows
    (:mod:`helpers.ui.static_view`).

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
    caption : str, optional
        What the figure shows, for its text alternative (followed by the status line's text);
        by default the figure's titles.
    """

    def __init__(self, controls, update, fig, buttons=(), caption=None):
        self.controls = dict(controls)
        self.update_function = update
        self.fig = fig
        self.caption = caption
        self.status = w.HTML()
        self.image = image_widget(fig)
        self.last_error = None
        self.draw_count = 0
        for control in self.controls.values():
            control.observe(lambda _: self.refresh(), names="value")
        self.widget = w.VBox(
            [
                w.HBox([*self.controls.values(), *buttons], layout={"flex_flow": "row wrap"}),
                self.status,
                self.image,
            ]
        )
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
            self.status.value = error_html(error)
            return
        self.last_error = None
        self.status.value = text or ""
        caption = self.caption or descriptions.figure_caption(self.fig)
        self.image.set(figure_png(self.fig), descriptions.figure_description(caption, self.status.value))
        self.draw_count += 1

    def static_png(self):
        """The figure as last drawn (PNG bytes), or None if no draw succeeded."""
        return self.image.png or None

    def static_description(self):
        """The figure's text alternative, as the live panel gives it."""
        return self.image.description_text

    def static_status(self):
        """The status line's HTML."""
        return self.status.value
