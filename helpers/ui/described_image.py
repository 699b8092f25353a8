"""A PNG image widget with a text alternative that a screen reader reads.

``ipywidgets.Image`` renders an ``<img>`` without ``alt``, and its ``tooltip`` (which would give a
``title``) stops the view from rendering in ipywidgets 8.1. So a figure is shown as an
``<img alt="...">`` inside an ``ipywidgets.HTML``: the PNG travels base64-encoded, and its text
alternative is set with every new picture.
"""

import ipywidgets as w
import traitlets

from helpers.figures.plotting import png_img_html


class DescribedImage(w.HTML):
    """An ``ipywidgets.HTML`` showing one PNG with its text alternative.

    Parameters
    ----------
    png : bytes, optional
        The picture (PNG bytes); empty shows nothing.
    description : str, optional
        Its text alternative; ``""`` marks the picture as decoration that a screen reader skips.
    image_style : str, optional
        CSS for the ``<img>`` (its size, say).
    **options
        Passed to ``ipywidgets.HTML`` (``layout``, say).
    """

    # Kernel side only (not sent to the page); change them with :meth:`set`, which renders once.
    png = traitlets.Bytes(b"")
    description_text = traitlets.Unicode("")
    image_style = traitlets.Unicode("")

    def __init__(self, png=b"", description="", image_style="", **options):
        super().__init__(**options)
        self.set(png, description, image_style)

    def set(self, png, description=None, image_style=None):
        """Show ``png`` with ``description`` in one message to the page.

        Parameters
        ----------
        png : bytes
            The picture (PNG bytes).
        description : str, optional
            Its text alternative; None keeps the current one.
        image_style : str, optional
            CSS for the ``<img>``; None keeps the current one.

        Raises
        ------
        TypeError
            If ``png`` is not bytes.
        """
        if not isinstance(png, (bytes, bytearray, memoryview)):
            raise TypeError(f"png must be PNG bytes, got {type(png).__name__}")
        self.png = bytes(png)
        if description is not None:
            self.description_text = str(description)
        if image_style is not None:
            self.image_style = str(image_style)
        self._render()

    def _render(self):
        if not self.png:
            self.value = ""
            return
        value = png_img_html(self.png, self.description_text, self.image_style)
        if value != self.value:
            self.value = value
