"""Accessibility violations that come from JupyterLab, Voilà or ipywidgets themselves, not from this project.

tests/test_accessibility.py runs axe-core (WCAG 2.0/2.1 A and AA rules) on every page and fails on
any violation of impact serious or critical that no entry here matches. An entry names the axe rule,
a regular expression searched in the offending element's CSS selector and HTML, why the project
cannot fix it, and where it is reported upstream. Keep entries narrow: a pattern that matched the
project's own markup would hide a real failure.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Allowed:
    rule: str
    pattern: str
    why: str
    upstream: str
    #: Only outside the project's widgets: the same markup inside a panel is the project's to fix.
    outside_widgets: bool = False


ALLOWED = (
    Allowed(
        rule="aria-input-field-name",
        pattern=r"noUi-handle",
        why="ipywidgets 8.1 sliders render a noUiSlider handle (role=slider) without aria-label or "
        "aria-labelledby; the widget's description is a <label> tied to no input, and no widget trait "
        "reaches the handle. The project's sliders (helpers.ui.controls.NamedSlider) show their value "
        "in a number box named for the slider, which a screen reader speaks and which takes typed values.",
        upstream="https://github.com/jupyter-widgets/ipywidgets/issues/2650",
    ),
    Allowed(
        rule="aria-input-field-name",
        pattern=r"\.cm-content",
        why="JupyterLab's cell editors (CodeMirror 6, role=textbox) get no aria-label; CodeMirror leaves the "
        "name to the application (EditorView.contentAttributes).",
        upstream="not yet reported (closest: https://github.com/jupyterlab/jupyterlab/issues/10347)",
    ),
    Allowed(
        rule="scrollable-region-focusable",
        pattern=r"\.cm-scroller",
        why="JupyterLab's cell editor scroller has tabindex=-1; a long cell's overflow is not reachable by Tab.",
        upstream="not yet reported",
    ),
    Allowed(
        rule="aria-allowed-attr",
        pattern=r"jp-button|DebuggerBugButton|voilaRender",
        why="JupyterLab's toolbar buttons (jp-button web components, also Voila's and the debugger's) carry "
        "aria-pressed on an element whose role does not allow it.",
        upstream="https://github.com/jupyterlab/jupyterlab/issues/16891",
    ),
    Allowed(
        rule="aria-required-children",
        pattern=r"jp-WindowedPanel-viewport",
        why="JupyterLab's notebook is role=feed whose cells are not role=article.",
        upstream="https://github.com/jupyterlab/jupyterlab/issues/14765",
    ),
    Allowed(
        rule="button-name",
        pattern=r"jp-collapseHeadingButton",
        why="JupyterLab's collapse-heading button beside a Markdown heading has no text, label or title.",
        upstream="not yet reported",
    ),
    Allowed(
        rule="image-alt",
        pattern=r"jp-RenderedImage",
        why="A PNG output (a matplotlib figure shown by a cell) is drawn by JupyterLab's image renderer, which "
        "sets no alt: the notebook format has no field for it. The panels' own figures carry alt text.",
        upstream="https://github.com/jupyter/enhancement-proposals/issues/120",
        outside_widgets=True,
    ),
)
