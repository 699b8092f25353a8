"""The controls every panel is made of, and the CSS classes the browser tests find panels by.

Sliders act on release (``continuous_update=False``) so a drag starts one run, not fifty.
"""

import math

import ipywidgets as w

# CSS classes the browser tests find panels by: every panel's root widget carries
# PANEL_CLASS, and RUNNING_CLASS while a run is in progress. A panel whose result is not an
# image (a table, say) marks the widget showing it with PLOT_CLASS; otherwise the panel's
# images are its plot.
PANEL_CLASS = "nnf-panel"
RUNNING_CLASS = "nnf-running"
PLOT_CLASS = "nnf-plot"

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


def slider(description, value, low, high, step=1, **options):
    """An integer or float slider that only reports its value on release."""
    kind = w.IntSlider if all(isinstance(v, int) for v in (value, low, high, step)) else w.FloatSlider
    return kind(value=value, min=low, max=high, step=step, description=description,
                continuous_update=False, style={"description_width": "initial"},
                **{"layout": FIT_WIDTH, **options})


def dropdown(description, options, value):
    """A dropdown menu of fixed choices."""
    return w.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"}, layout=FIT_WIDTH)


def log_slider(description, value, low, high, steps_per_decade=10):
    """A slider on a log scale (for learning rates), reporting on release.

    Parameters
    ----------
    description : str
    value, low, high : float
        Start value and range; all > 0.
    steps_per_decade : int
        Positions between one power of ten and the next.
    """
    if not 0 < low <= value <= high:
        raise ValueError(f"need 0 < low <= value <= high, got low={low}, value={value}, high={high}")
    return w.FloatLogSlider(value=value, base=10, min=math.log10(low), max=math.log10(high),
                            step=1 / steps_per_decade, description=description,
                            readout_format=".2g", continuous_update=False,
                            style={"description_width": "initial"}, layout=FIT_WIDTH)
