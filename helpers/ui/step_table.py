"""A computation revealed one named quantity at a time: a table that grows row by row.

The notebook computes the quantities (a forward and a backward pass by hand)
and names the formula of each; this module only formats them and shows them
step by step: a step slider, and Play / Step / Reset buttons
(:class:`helpers.ui.player.Player`). Controls for the computation's inputs (an
example's features, its label) recompute every quantity for real and keep the
step the learner is at.
"""

import html
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
from IPython.display import display

from helpers.ui import player
from helpers.ui.controls import HIGHLIGHT_BACKGROUND, PANEL_CLASS, PLOT_CLASS, error_html, slider


@dataclass
class Step:
    """One intermediate quantity of a computation.

    Attributes
    ----------
    name : str
        How the notebook calls it (``"dz2"``).
    formula : str
        How it is computed, in LaTeX without the dollar signs.
    value : float or numpy.ndarray
    note : str
        A few words on what it is (optional).
    """

    name: str
    formula: str
    value: object
    note: str = ""


def steps_from(quantities, formulas, notes=None):
    """Pair computed quantities with their formulas, in the order they were computed.

    Parameters
    ----------
    quantities : dict
        Name -> value, in computation order (a function's ``dict(z1=z1, ...)``).
    formulas : dict
        Name -> LaTeX formula; every quantity needs one.
    notes : dict, optional
        Name -> short explanation.

    Returns
    -------
    list of Step
    """
    missing = [name for name in quantities if name not in formulas]
    if missing:
        raise KeyError(f"no formula for {', '.join(missing)}; add it to the formulas dict")
    notes = notes or {}
    return [Step(name, formulas[name], value, notes.get(name, "")) for name, value in quantities.items()]


def format_value(value, decimals=4):
    """A number or an array, rounded, on as few lines as it takes.

    Parameters
    ----------
    value : float or array_like
    decimals : int
        Digits after the decimal point.

    Returns
    -------
    str
    """
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return f"{float(array):.{decimals}f}"
    return np.array2string(
        array, precision=decimals, floatmode="fixed", suppress_small=True, separator=", ", max_line_width=60
    )


def text_table(steps, decimals=4):
    """Every step as plain text: number, name and value (prints the same everywhere).

    Parameters
    ----------
    steps : list of Step
    decimals : int
        Digits after the decimal point.

    Returns
    -------
    str
    """
    width = max((len(step.name) for step in steps), default=0)
    lines = []
    for number, step in enumerate(steps, start=1):
        value = format_value(step.value, decimals).replace("\n", "\n" + " " * (width + 8))
        lines.append(f"{number:>2}. {step.name:<{width}} = {value}")
    return "\n".join(lines)


def html_table(steps, shown, decimals=4):
    """The first ``shown`` steps as an HTML table; the newest row is highlighted.

    Formulas are written as ``$...$`` for ``ipywidgets.HTMLMath`` to typeset.

    Parameters
    ----------
    steps : list of Step
    shown : int
        How many steps to show (clipped to the table's length).
    decimals : int
        Digits after the decimal point.

    Returns
    -------
    str
    """
    shown = max(0, min(int(shown), len(steps)))
    rows = []
    for number, step in enumerate(steps[:shown], start=1):
        style = f" style='background:{HIGHLIGHT_BACKGROUND}'" if number == shown else ""
        value = html.escape(format_value(step.value, decimals))
        rows.append(
            f"<tr{style}><td>{number}</td><td><code>{html.escape(step.name)}</code></td>"
            f"<td>${step.formula}$</td><td><pre style='margin:0'>{value}</pre></td>"
            f"<td>{html.escape(step.note)}</td></tr>"
        )
    header = "<tr><th>step</th><th>name</th><th>formula</th><th>value</th><th></th></tr>"
    caption = f"<caption>step {shown} of {len(steps)}</caption>"
    return f"<table>{caption}{header}{''.join(rows)}</table>"


class StepTable:
    """A table of intermediate quantities revealed one at a time.

    Parameters
    ----------
    compute : callable
        ``compute(**values)`` returns the list of :class:`Step`, called with the
        controls' values (with no arguments when there are no controls).
    controls : dict, optional
        Name -> widget for the computation's inputs; a change recomputes
        every step and keeps the step shown.
    decimals : int
        Rounding of the values.
    interval : float
        Seconds between steps when Play reveals them.
    """

    def __init__(self, compute, controls=None, decimals=4, interval=0.7):
        self.compute = compute
        self.controls = dict(controls or {})
        self.decimals = decimals
        self.last_error = None
        self.steps = list(compute(**self._values()))
        self.shown = 0
        self.slider = slider("step", 0, 0, len(self.steps))
        self.table = w.HTMLMath()
        self.player = player.Player(
            step=self.next, reset=lambda: self.show(0), max_steps=len(self.steps), interval=interval
        )
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        for control in self.controls.values():
            control.observe(lambda _: self.recompute(), names="value")
        self.widget = w.VBox(
            [
                w.HBox(list(self.controls.values()), layout={"flex_flow": "row wrap"}),
                w.HBox([self.player.widget, self.slider]),
                self.table,
            ]
        )
        self.widget.add_class(PANEL_CLASS)  # how the browser tests find panels
        self.table.add_class(PLOT_CLASS)
        self.show(0)

    def _values(self):
        return {name: control.value for name, control in self.controls.items()}

    def show(self, shown):
        """Show the first ``shown`` steps.

        Parameters
        ----------
        shown : int
            Clipped to the table's length.
        """
        self.shown = max(0, min(int(shown), len(self.steps)))
        self.slider.value = self.shown  # no loop: the observer sees the same value
        self.table.value = html_table(self.steps, self.shown, self.decimals)

    def next(self):
        """Reveal one more step; after the last one, Play pauses."""
        self.show(self.shown + 1)
        if self.shown == len(self.steps):
            self.player.pause()

    def recompute(self):
        """Compute every step again from the controls' values; keep the step shown."""
        try:
            self.steps = list(self.compute(**self._values()))
        except Exception as error:  # shown in the panel: an observer's exception is easily lost
            self.last_error = error
            self.table.value = error_html(error)
            return
        self.last_error = None
        self.slider.max = self.player.max_steps = len(self.steps)
        self.show(self.shown)

    def _ipython_display_(self):
        display(self.widget)
