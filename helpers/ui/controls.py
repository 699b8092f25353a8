"""The controls every panel is made of, and the CSS classes the browser tests find panels by.

Sliders act on release (``continuous_update=False``) so a drag starts one run, not fifty.
"""

import html
import math

import ipywidgets as w
import traitlets

# CSS classes the browser tests find panels by: every panel's root widget carries
# PANEL_CLASS, and RUNNING_CLASS while a run is in progress. A panel whose result is not an
# image (a table, say) marks the widget showing it with PLOT_CLASS; otherwise the panel's
# images are its plot.
PANEL_CLASS = "nnf-panel"
RUNNING_CLASS = "nnf-running"
PLOT_CLASS = "nnf-plot"
#: A slider with its named number box (:class:`NamedSlider`).
NAMED_SLIDER_CLASS = "nnf-named-slider"

# Colours in panel HTML come from the JupyterLab theme (light, dark, high contrast, also in
# Voila); the fallback after the comma is for pages without those variables (Colab) and
# has at least 4.5:1 contrast on white.
#: Text that reports an error: red in every theme (fallback 7.4:1 on white).
ERROR_COLOR = "var(--jp-error-color1, #b00000)"
#: Secondary text, quieter than the body text (fallback 7.0:1 on white).
MUTED_COLOR = "var(--jp-ui-font-color2, #595959)"
#: Background of a highlighted row; the theme's text colour stays readable on it.
HIGHLIGHT_BACKGROUND = "var(--jp-layout-color2, #eeeeee)"
#: A control never wider than its column: ipywidgets' fixed 300-px sliders and menus would be cut
#: in a narrow window (a phone, or 200 % zoom); with this they shrink instead (4 px: the 2-px
#: margin ipywidgets puts on each side of a control).
FIT_WIDTH = {"max_width": "calc(100% - 4px)"}


def error_html(error):
    """An exception as a panel's status line shows it: "Error: ValueError: ..." in the error colour.

    Parameters
    ----------
    error : Exception

    Returns
    -------
    str
        HTML, the exception's name and message escaped.
    """
    text = html.escape(f"{type(error).__name__}: {error}")
    return f"<span style='color:{ERROR_COLOR}'>Error: {text}</span>"


class NamedSlider(w.HBox):
    """A slider beside a number box that carries its name: what a screen reader speaks.

    ipywidgets' slider handle has a role and a value but no accessible name (its description is a
    ``<label>`` tied to no input), so a screen reader says "slider, 3" without saying what it sets.
    ipywidgets does tie a description to a number box's input. So the description labels a
    number box that shows the value ("hidden layers, spin button, 3"), takes a typed value, and
    moves with the slider either way; the slider beside it has no readout of its own.
    The panels use it like a slider: ``value``, ``observe(..., names="value")``, ``min``, ``max``.

    Parameters
    ----------
    slider : ipywidgets.IntSlider, ipywidgets.FloatSlider or ipywidgets.FloatLogSlider
        The slider, with its description (which moves to the number box).
    digits : int
        Significant digits the number box shows of a log slider's value (a linear slider's
        value is shown to the decimals of its step).
    """

    value = traitlets.Any()

    def __init__(self, slider, digits=3):
        self.slider = slider
        self.on_log_scale = isinstance(slider, w.FloatLogSlider)
        self.digits = digits
        if self.on_log_scale:
            low, high = slider.base**slider.min, slider.base**slider.max
        else:
            low, high = slider.min, slider.max
        box = w.BoundedIntText if isinstance(slider, w.IntSlider) else w.BoundedFloatText
        self._description = slider.description
        self.number = box(
            value=self.shown(slider.value),
            min=low,
            max=high,
            step=None if self.on_log_scale else slider.step,
            description=slider.description,
            continuous_update=False,
            style={"description_width": "initial"},
            layout=w.Layout(width=f"calc({len(slider.description)}ch + 6.5em)", flex="0 0 auto"),
        )
        slider.readout = False
        slider.description = ""
        super().__init__([self.number, slider], value=slider.value, layout=w.Layout(align_items="center", **FIT_WIDTH))
        self.add_class(NAMED_SLIDER_CLASS)
        slider.observe(self._slider_moved, names="value")
        self.number.observe(self._number_typed, names="value")
        self.observe(self._value_set, names="value")

    def shown(self, value):
        """``value`` as the number box shows it (rounded to the step, or to significant digits)."""
        if isinstance(self.slider, w.IntSlider):
            return int(value)
        if self.on_log_scale:
            return float(f"{value:.{self.digits}g}")
        decimals = max(0, -math.floor(math.log10(self.slider.step))) if self.slider.step else 6
        return round(float(value), decimals)

    @property
    def description(self):
        """What the slider sets: the number box's label and name."""
        return self._description

    @property
    def continuous_update(self):
        """Whether the value is reported while the handle moves (never: on release)."""
        return self.slider.continuous_update

    @property
    def min(self):
        """The slider's lowest position (for a log slider, the exponent)."""
        return self.slider.min

    @min.setter
    def min(self, low):
        self.slider.min = low
        self.number.min = self.slider.base**low if self.on_log_scale else low

    @property
    def max(self):
        """The slider's highest position (for a log slider, the exponent)."""
        return self.slider.max

    @max.setter
    def max(self, high):
        self.slider.max = high
        self.number.max = self.slider.base**high if self.on_log_scale else high

    @property
    def step(self):
        """The slider's step (for a log slider, in the exponent)."""
        return self.slider.step

    @property
    def base(self):
        """The base of a log slider's scale."""
        return self.slider.base

    def _slider_moved(self, change):
        self.value = change["new"]

    def _number_typed(self, change):
        if change["new"] != self.shown(self.slider.value):  # not the echo of a slider move
            self.value = change["new"]

    def _value_set(self, change):
        self.slider.value = change["new"]
        self.number.value = self.shown(self.slider.value)


def slider(description, value, low, high, step=1, **options):
    """An integer or float slider that only reports its value on release, with a named number box.

    Parameters
    ----------
    description : str
        What it sets: its label, and the name a screen reader speaks.
    value, low, high, step : int or float
        Start, range and step; all integers make an integer slider.
    **options
        Passed to the ipywidgets slider.

    Returns
    -------
    NamedSlider
    """
    kind = w.IntSlider if all(isinstance(v, int) for v in (value, low, high, step)) else w.FloatSlider
    return NamedSlider(
        kind(
            value=value,
            min=low,
            max=high,
            step=step,
            description=description,
            continuous_update=False,
            style={"description_width": "initial"},
            **{"layout": FIT_WIDTH, **options},
        )
    )


def dropdown(description, options, value):
    """A dropdown menu of fixed choices."""
    return w.Dropdown(
        options=options, value=value, description=description, style={"description_width": "initial"}, layout=FIT_WIDTH
    )


def log_slider(description, value, low, high, steps_per_decade=10):
    """A slider on a log scale (for learning rates), reporting on release, with a named number box.

    Parameters
    ----------
    description : str
    value, low, high : float
        Start value and range; all > 0.
    steps_per_decade : int
        Positions between one power of ten and the next.

    Returns
    -------
    NamedSlider
    """
    if not 0 < low <= value <= high:
        raise ValueError(f"need 0 < low <= value <= high, got low={low}, value={value}, high={high}")
    return NamedSlider(
        w.FloatLogSlider(
            value=value,
            base=10,
            min=math.log10(low),
            max=math.log10(high),
            step=1 / steps_per_decade,
            description=description,
            continuous_update=False,
            style={"description_width": "initial"},
            layout=FIT_WIDTH,
        )
    )
