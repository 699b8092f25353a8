"""The playground's network as Keras code, shown under the panel at the press of a button.

Only wiring: :func:`helpers.core.playground_code.keras_code` writes the code.
"""

import html

import ipywidgets as w

from helpers.core import playground_code
from helpers.ui.controls import ERROR_COLOR, MUTED_COLOR


#: ipywidgets gives an HTML widget's text the height of a control per line and the widgets' font: code needs its own.
CODE_STYLE = (
    "white-space: pre-wrap; font-family: var(--jp-code-font-family, monospace); font-size: 12px; "
    "line-height: 1.35; margin: 4px 0"
)


class CodeView:
    """A "Show Keras code" toggle and the code of the panel's current network.

    Parameters
    ----------
    panel : helpers.ui.playground_panel.PlaygroundPanel
        Where the settings and the epochs trained come from.
    """

    def __init__(self, panel):
        self.panel = panel
        self.button = w.ToggleButton(
            description="Show Keras code",
            icon="code",
            tooltip="the keras.Sequential, compile and fit lines of this network",
            layout={"width": "160px"},
        )
        self.code = w.HTML()
        self.widget = w.VBox([self.button, self.code])
        self.button.observe(lambda change: self.refresh(), names="value")

    def text(self):
        """The code of the current settings, training as many epochs as the panel has (at least 1)."""
        return playground_code.keras_code(self.panel.settings(), epochs=max(1, self.panel.playground.epoch))

    def refresh(self):
        """Show the code of the current settings (when the button is on), or nothing."""
        if not self.button.value:
            self.code.value = ""
            return
        try:
            text = self.text()
        except ValueError as error:
            self.code.value = f"<span style='color:{ERROR_COLOR}'>No code: {html.escape(str(error))}</span>"
            return
        self.code.value = (
            f"<div style='color:{MUTED_COLOR}'>The same network in plain Keras (run it in a "
            "cell or a script: same starting weights, same order of the points, same loss). "
            "EPOCHS is the epochs trained when this was shown.</div>"
            f"<pre style='{CODE_STYLE}'>{html.escape(text)}</pre>"
        )
