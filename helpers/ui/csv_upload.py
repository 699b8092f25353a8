"""A file upload for the playground's own points: a CSV file checked before it is used.

:class:`PointsUpload` is the control of the ``data_file`` setting: its ``value``
is the path of the CSV file in use ("" for the generated points). An uploaded
file is read with :func:`helpers.core.playground_points.parse_points`; a good one
is saved (the settings hold a path, so the batch command and the Keras code can
read it again) and becomes the value, a bad one leaves the value as it was and
shows one line saying which row is wrong and why.
"""

import hashlib
import html
import os
import re
import tempfile

import ipywidgets as w
import traitlets

from helpers.core import playground_points
from helpers.ui.controls import ERROR_COLOR, MUTED_COLOR

#: Where uploaded files are kept (one file per content, so the same upload is saved once).
UPLOAD_DIR = os.path.join(tempfile.gettempdir(), "nnf-playground-points")


def save_upload(content, name, folder=UPLOAD_DIR):
    """Save an uploaded file's bytes in a folder named after its content, under its own name.

    Parameters
    ----------
    content : bytes or memoryview
    name : str
        The file's name on the visitor's computer.
    folder : str

    Returns
    -------
    str
        The saved file's path.
    """
    folder = os.path.join(folder, hashlib.sha256(bytes(content)).hexdigest()[:12])
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.basename(name)) or "points.csv")
    with open(path, "wb") as file:
        file.write(bytes(content))
    return path


class PointsUpload(w.VBox):
    """Upload a CSV of points; ``value`` is the path of the file in use ("" for generated points).

    Parameters
    ----------
    value : str
        A CSV file to start with ("" for none).
    """

    value = traitlets.Unicode("")

    def __init__(self, value=""):
        self.upload = w.FileUpload(
            accept=".csv,text/csv",
            multiple=False,
            description="Your points (CSV)",
            tooltip="a CSV file with the header x1,x2,label or x1,x2,y",
            layout={"width": "170px"},
        )
        self.clear_button = w.Button(
            description="Generated points",
            icon="undo",
            tooltip="train on the data set chosen above again",
            layout={"width": "150px"},
        )
        self.status = w.HTML()
        self.last_error = None
        super().__init__([w.HBox([self.upload, self.clear_button]), self.status])
        self.upload.observe(self._uploaded, names="value")
        self.clear_button.on_click(lambda _: setattr(self, "value", ""))
        self.value = value
        self._show(None)

    def load(self, content, name):
        """Use a CSV file's points, or show why not (and keep the points in use).

        Parameters
        ----------
        content : bytes or memoryview
        name : str
            The file's name, for messages.

        Returns
        -------
        bool
            Whether the file is now in use.
        """
        try:
            points = playground_points.parse_points(content, name)
        except playground_points.PointsError as error:
            self.last_error = str(error)
            self.status.value = f"<span style='color:{ERROR_COLOR}'>Not used: {html.escape(str(error))}</span>" + (
                f"<br>{self._in_use()}" if self.value else ""
            )
            return False
        self.last_error = None
        self.value = save_upload(content, name)
        self.status.value = self._in_use(points)
        return True

    def _uploaded(self, change):
        files = change["new"]
        if not files:
            return
        upload = files[0]
        self.load(upload["content"], upload["name"])
        self.upload.value = ()  # so that the same file, edited, can be uploaded again

    @traitlets.observe("value")
    def _show(self, change):
        self.clear_button.layout.display = None if self.value else "none"
        self.status.value = (
            self._in_use()
            if self.value
            else (f"<span style='color:{MUTED_COLOR}'>or upload a CSV: x1,x2,label (0 or 1) or x1,x2,y</span>")
        )

    def _in_use(self, points=None):
        try:
            points = points or playground_points.read_points(self.value)
        except playground_points.PointsError as error:
            return f"<span style='color:{ERROR_COLOR}'>{html.escape(str(error))}</span>"
        return f"Training on <b>{html.escape(os.path.basename(self.value))}</b>: {html.escape(points.summary())}"
