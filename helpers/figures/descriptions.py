"""Text alternatives for the panels' figures: what a figure shows and the numbers that matter.

A screen reader reads these instead of the picture, so each says what kind of figure it is and
the figures a sighted reader would take from it. Pure functions: the widgets only display them.
"""

import html
import re

import numpy as np

_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def plain_text(markup):
    """The text of an HTML fragment: tags dropped, entities decoded, white space collapsed.

    Parameters
    ----------
    markup : str or None
        An HTML fragment such as a panel's status line.

    Returns
    -------
    str
    """
    if markup is None:
        return ""
    if not isinstance(markup, str):
        raise TypeError(f"markup must be a string or None, got {type(markup).__name__}: {markup!r}")
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def _number(name, value, digits=3):
    if value is None:
        return None
    value = float(value)
    if value != value:  # NaN: a run that diverged
        return f"{name} not a number"
    return f"{name} {value:.{digits}f}"


def decision_map_description(epoch, test_loss=None, training_loss=None, test_accuracy=None, regression=False):
    """The text alternative of a playground's output map.

    Parameters
    ----------
    epoch : int
        Epochs trained so far (0 before training).
    test_loss, training_loss : float, optional
        The losses shown next to the map.
    test_accuracy : float, optional
        Fraction of test points classified right (0 to 1); ``None`` for a regression.
    regression : bool
        Whether the map shows a regression's output rather than a class boundary.

    Returns
    -------
    str
        For example ``"decision map after 40 epochs: test loss 0.080, training loss 0.070,
        test accuracy 97%"``.
    """
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        raise ValueError(f"epoch must be an integer >= 0, got {epoch!r}")
    if test_accuracy is not None and not 0 <= test_accuracy <= 1:
        raise ValueError(f"test_accuracy must be a fraction between 0 and 1, got {test_accuracy!r}")
    kind = "regression output map" if regression else "decision map"
    when = "before training" if epoch == 0 else f"after {epoch} epoch{'s' if epoch != 1 else ''}"
    numbers = [_number("test loss", test_loss), _number("training loss", training_loss)]
    if test_accuracy is not None:
        numbers.append(f"test accuracy {test_accuracy:.0%}")
    numbers = [number for number in numbers if number]
    return f"{kind} {when}" + (": " + ", ".join(numbers) if numbers else "")


def neuron_map_description(name, values, epoch):
    """The text alternative of one neuron's map over the plane (the playground's "Inside a neuron").

    Parameters
    ----------
    name : str
        The neuron's name (``"h1.2"``, ``"output"``).
    values : array-like
        The map on the colour scale (-1 orange to 1 blue).
    epoch : int
        Epochs trained so far.

    Returns
    -------
    str
        For example ``"map of h1.2's output over the plane after 40 epochs: from -0.98 (orange) to 0.97 (blue)"``.
    """
    values = np.asarray(values, dtype=float)
    low, high = float(values.min()), float(values.max())
    when = "before training" if epoch == 0 else f"after {epoch} epoch{'s' if epoch != 1 else ''}"
    return f"map of {name}'s output over the plane {when}: from {low:.2f} (orange) to {high:.2f} (blue)"


def network_description(layer_sizes, activation=None):
    """The text alternative of a drawing of a dense network.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first and output last (at least two layers).
    activation : str, optional
        The hidden layers' activation, named when given.

    Returns
    -------
    str
        For example ``"network diagram: 784 inputs, 2 hidden layers of 128, 10 outputs"``.
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in sizes):
        raise ValueError(f"layer_sizes must be at least two positive integers (input ... output), got {sizes!r}")
    hidden = sizes[1:-1]
    if not hidden:
        middle = "no hidden layer"
    elif len(set(hidden)) == 1:
        middle = f"{len(hidden)} hidden layer{'s' if len(hidden) > 1 else ''} of {hidden[0]}"
    else:
        middle = "hidden layers of " + ", ".join(map(str, hidden))
    if hidden and activation:
        middle += f" ({activation})"
    return f"network diagram: {sizes[0]} inputs, {middle}, {sizes[-1]} outputs"


def figure_description(caption, status=None):
    """The text alternative of a figure that follows controls: its caption and the status line's numbers.

    Parameters
    ----------
    caption : str
        What the figure shows (``"decision line of a perceptron"``); must not be empty.
    status : str, optional
        The panel's status line (HTML allowed), whose text is appended.

    Returns
    -------
    str
    """
    caption = plain_text(caption)
    if not caption:
        raise ValueError("caption must say what the figure shows; got an empty caption")
    numbers = plain_text(status)
    return f"{caption}: {numbers}" if numbers else caption


def figure_caption(fig, default="figure"):
    """What a matplotlib figure shows, from its titles: the suptitle, else its axes' titles.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    default : str
        Used when the figure has no title.

    Returns
    -------
    str
    """
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        return plain_text(suptitle.get_text())
    titles = [ax.get_title().strip() for ax in fig.axes if ax.get_title().strip()]
    return plain_text("; ".join(titles)) or default
