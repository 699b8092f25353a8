"""A link per exercise: the playground's state as a URL, and a box to open such a link.

Only wiring: :mod:`helpers.core.playground_links` writes and reads the links.
"Copy link" shows the address of the current state (in the Voila app, the
page's own address; in JupyterLab, the settings string after ``?``); pasting a
link or a settings string and pressing "Open link" sets the panel to it.
"""

import html
import os

import ipywidgets as w

from helpers.core import playground_links
from helpers.ui.controls import ERROR_COLOR, FIT_WIDTH


class LinkBox:
    """ "Copy link", a text box for a link, and "Open link".

    Parameters
    ----------
    panel : helpers.ui.playground_panel.PlaygroundPanel
    environ : mapping, optional
        Where Voila's request (server, path, query string) is read; ``os.environ`` by default.
    """

    def __init__(self, panel, environ=None):
        self.panel = panel
        self.environ = os.environ if environ is None else environ
        self.copy_button = w.Button(
            description="Copy link",
            icon="link",
            layout={"width": "110px"},
            tooltip="show the address of this exact state, to hand out",
        )
        self.text = w.Text(
            description="link",
            placeholder="a link, or settings such as dataset=xor&hidden_layers=0",
            style={"description_width": "initial"},
            layout={"width": "520px", **FIT_WIDTH},
        )
        self.open_button = w.Button(
            description="Open link",
            icon="sign-in",
            layout={"width": "110px"},
            tooltip="set the panel to the link's settings",
        )
        self.status = w.HTML()
        self.widget = w.VBox(
            [w.HBox([self.copy_button, self.text, self.open_button], layout={"flex_flow": "row wrap"}), self.status]
        )
        self.copy_button.on_click(lambda _: self.copy())
        self.open_button.on_click(lambda _: self.open(self.text.value))

    def copy(self):
        """Put the address of the current state in the box (select it and copy)."""
        self.text.value = playground_links.page_url(self.environ, self.panel.link_query())
        self.status.value = "Select the link and copy it: it opens the playground as it is now."

    def open(self, text):
        """Set the panel to a link; a bad link is refused with the reason, and nothing changes.

        Parameters
        ----------
        text : str
            A link or its query string.

        Returns
        -------
        bool
            Whether the link was used.
        """
        try:
            self.panel.apply_link(text)
        except ValueError as error:
            self.status.value = f"<span style='color:{ERROR_COLOR}'>Link not used: {html.escape(str(error))}</span>"
            return False
        self.status.value = "Opened." if text.strip() else ""
        return True
