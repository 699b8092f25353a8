"""The package's colours: one palette that colour-blind eyes can read, for every figure.

The pair at its heart is TensorFlow Playground's orange and blue, which differ in
lightness as well as hue, so they stay apart for all three kinds of dichromacy.
The other class colours were chosen from matplotlib's Petroff cycle
(``matplotlib.color_sequences["petroff10"]``), the Okabe-Ito set and neutral
greys, keeping the set whose closest pair is farthest apart (CIEDE2000) in
normal vision and in simulated deuteranopia, protanopia and tritanopia;
``tests/test_palette.py`` checks it. Classes are also told apart by marker
shape (:data:`CLASS_MARKERS`), so colour is never the only cue.

Panels (HTML) take their colours from the JupyterLab theme instead; see
:mod:`helpers.ui.controls`.
"""

#: TensorFlow Playground's orange: class 0, negative values, the backward pass.
ORANGE = "#f59322"
#: TensorFlow Playground's blue: class 1, positive values, the forward pass.
BLUE = "#0877bd"
#: A dark red for marks that flag a mistake (circled points, a wrong top answer).
RED = "#bd1f01"
#: A light cyan (Petroff's tenth colour).
CYAN = "#92dadd"
#: A dark grey with 7:1 contrast on white, for secondary lines and text.
GREY = "#595959"
BLACK = "#000000"
#: A light grey for neutral fills (bars that are neither right nor wrong, bands).
LIGHT_GREY = "#b3b3b3"

#: Colours for classes, runs or layers drawn side by side, in the order to use them.
CLASS_COLORS = (BLUE, ORANGE, RED, CYAN, GREY, BLACK)
#: Marker shapes that go with :data:`CLASS_COLORS`, a second cue besides colour.
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P")

#: Curves of the same metric: training solid, validation dashed, test dotted.
TRAINING_COLOR = BLUE
VALIDATION_COLOR = ORANGE
TEST_COLOR = BLACK


def class_color(index):
    """The colour for class, run or layer ``index``; the sequence repeats after its end.

    Parameters
    ----------
    index : int
        0 for the first class; must be >= 0.

    Returns
    -------
    str
        A ``#rrggbb`` colour from :data:`CLASS_COLORS`.
    """
    if int(index) != index or index < 0:
        raise ValueError(f"class index must be an integer >= 0, got {index!r}")
    return CLASS_COLORS[int(index) % len(CLASS_COLORS)]


def class_marker(index):
    """The marker shape for class, run or layer ``index`` (see :func:`class_color`).

    Parameters
    ----------
    index : int
        At least 0; the shapes repeat after :data:`CLASS_MARKERS` runs out.

    Returns
    -------
    str
        A Matplotlib marker.

    Raises
    ------
    ValueError
        If ``index`` is not a whole number >= 0.
    """
    if int(index) != index or index < 0:
        raise ValueError(f"class index must be an integer >= 0, got {index!r}")
    return CLASS_MARKERS[int(index) % len(CLASS_MARKERS)]
