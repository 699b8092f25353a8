"""A panel's picture for readers without a kernel, saved beside its live widget.

A panel displays as a widget, and a widget needs a running kernel: in a notebook saved with its outputs
(nbviewer, GitHub's viewer, the chapter's website) it would leave nothing, or "Loading widget...".
A panel that mixes in :class:`StaticView` displays as one output holding several forms at once:

- the widget view (``application/vnd.jupyter.widget-view+json``), which JupyterLab, Voilà and Colab
  prefer and show live;
- ``text/html``: the panel's current figure as an ``<img>`` with its text alternative, then its
  status line, for a page without a kernel;
- ``image/png`` and ``text/plain``: the same figure and words for viewers that show neither.

The picture is the panel's state when it was displayed (the figure under the controls' first values).
"""

import base64
import html
import re

from helpers.figures.plotting import png_img_html

#: What the kernel-free forms say in front of the panel's own words.
NEEDS_KERNEL = "Interactive panel: it needs a running kernel (open this notebook on Binder or Colab)."
#: The CSS class of the kernel-free picture (the website's tests find it by this class).
STATIC_CLASS = "nnf-static-panel"


def html_to_text(markup):
    """The words of an HTML fragment: tags dropped, entities decoded, white space collapsed.

    Parameters
    ----------
    markup : str
        An HTML fragment such as a panel's status line.

    Returns
    -------
    str
    """
    text = re.sub(r"<[^>]+>", " ", str(markup))
    return " ".join(html.unescape(text).split())


def static_bundle(widget, png=None, description="", status=""):
    """The display data of a panel: its widget view plus a kernel-free picture and text.

    Parameters
    ----------
    widget : ipywidgets.Widget
        The panel's root widget (shown live where a kernel runs).
    png : bytes or None
        The panel's current figure as PNG bytes; None or empty: no picture, words only.
    description : str
        The figure's text alternative (plain text).
    status : str
        The panel's status line (HTML or plain text).

    Returns
    -------
    dict
        Mime type -> data, as ``_repr_mimebundle_`` returns it.
    """
    if png is not None and not isinstance(png, (bytes, bytearray, memoryview)):
        raise TypeError(f"png must be PNG bytes or None, got {type(png).__name__}")
    bundle = dict(widget._repr_mimebundle_() or {})
    words = html_to_text(status)
    lines = [NEEDS_KERNEL] + ([description] if description else []) + ([words] if words else [])
    bundle["text/plain"] = "\n".join(lines)
    parts = [f"<p><em>{html.escape(NEEDS_KERNEL)}</em></p>"]
    if png:
        encoded = base64.b64encode(bytes(png)).decode("ascii")
        bundle["image/png"] = encoded
        parts.append(png_img_html(png, description, "max-width: 100%"))
    if words:
        parts.append(f"<p>{html.escape(words)}</p>")
    bundle["text/html"] = f'<div class="{STATIC_CLASS}">{"".join(parts)}</div>'
    return bundle


class StaticView:
    """Mixin: display a panel as its live widget and, for pages without a kernel, its picture.

    The class that mixes it in has a ``widget`` attribute (its root widget) and overrides
    :meth:`static_png`, :meth:`static_description` and :meth:`static_status`.
    """

    def static_png(self):
        """The panel's current figure as PNG bytes, or None when it has none yet."""
        return None

    def static_description(self):
        """The text alternative of :meth:`static_png`'s picture."""
        return ""

    def static_status(self):
        """The panel's status line (HTML or plain text)."""
        return ""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return static_bundle(self.widget, self.static_png(), self.static_description(), self.static_status())
