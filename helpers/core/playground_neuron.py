"""Inside one neuron of the playground's network: its inputs, weights, bias, sum and output.

A neuron of layer ``l`` computes ``z = w . a + b`` from the outputs ``a`` of the
layer before (the input features for the first hidden layer) and passes ``z``
through its activation. :func:`neuron_detail` works this out with the numbers
of a :class:`helpers.core.playground.Snapshot` at one point of the plane, in
NumPy, so the panel can write the sum out term by term; the snapshot's maps give
the neuron's output over the whole plane. :func:`divergence_reason` says why a
network whose loss became NaN or infinite got there.
"""

from dataclasses import dataclass

import numpy as np

from helpers.core import toy_data

#: The activations in NumPy (the same formulas as Keras').
ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "linear": lambda z: z,
}


def neuron_name(layer, unit, layers):
    """A neuron's short name: ``"h1.2"`` (hidden layer 1, neuron 2) or ``"output"``.

    Parameters
    ----------
    layer, unit : int
        Counted from 0; ``layer`` 0 is the first hidden layer.
    layers : int
        Layers with weights, the output included.

    Returns
    -------
    str
    """
    return "output" if layer == layers - 1 else f"h{layer + 1}.{unit + 1}"


def neuron_choices(snapshot):
    """Every neuron of the network, for a menu, the output last.

    Parameters
    ----------
    snapshot : helpers.core.playground.Snapshot

    Returns
    -------
    list of (str, (int, int))
        ``(label, (layer, unit))`` pairs.
    """
    layers = len(snapshot.weights)
    choices = []
    for layer, kernel in enumerate(snapshot.weights):
        for unit in range(kernel.shape[1]):
            label = (
                "output"
                if layer == layers - 1
                else f"hidden layer {layer + 1}, neuron {unit + 1} ({neuron_name(layer, unit, layers)})"
            )
            choices.append((label, (layer, unit)))
    return choices


def layer_activation(snapshot, layer):
    """The activation of ``layer``: the settings' for hidden layers; sigmoid or linear for the output.

    Parameters
    ----------
    snapshot : helpers.core.playground.Snapshot
    layer : int

    Returns
    -------
    str
    """
    if layer < len(snapshot.weights) - 1:
        return snapshot.settings.activation
    return "linear" if snapshot.settings.regression else "sigmoid"


def forward(snapshot, point):
    """Every layer's values at ``point`` (x1, x2): the input features first, then each layer's outputs.

    Parameters
    ----------
    snapshot : helpers.core.playground.Snapshot
    point : pair of float

    Returns
    -------
    list of numpy.ndarray (1-D)
    """
    values = [
        toy_data.input_features(np.asarray(point, dtype=float).reshape(1, 2), snapshot.settings.features)[0].astype(
            float
        )
    ]
    for layer, (kernel, bias) in enumerate(zip(snapshot.weights, snapshot.biases)):
        z = values[-1] @ np.asarray(kernel, dtype=float) + np.asarray(bias, dtype=float)
        values.append(ACTIVATIONS[layer_activation(snapshot, layer)](z))
    return values


@dataclass
class NeuronDetail:
    """One neuron worked out at one point.

    Attributes
    ----------
    name : str
    input_names : list of str
    inputs : numpy.ndarray
        The values entering the neuron at the point.
    weights : numpy.ndarray
    bias : float
    total : float
        The weighted sum ``z = w . a + b``.
    activation : str
    output : float
    point : tuple of float
    """

    name: str
    input_names: list
    inputs: np.ndarray
    weights: np.ndarray
    bias: float
    total: float
    activation: str
    output: float
    point: tuple

    def formula(self):
        """The sum with the weights plugged in: ``"z = 0.53·x1 − 1.20·x2 + 0.10"``."""
        terms = [
            f"{_signed(weight, first=index == 0)}·{name}"
            for index, (weight, name) in enumerate(zip(self.weights, self.input_names))
        ]
        return "z = " + " ".join(terms) + f" {_signed(self.bias)}"

    def worked_sum(self):
        """The sum at the point, term by term: ``"z = 0.53 × 1.00 + (−1.20) × 2.00 + 0.10 = −1.77"``."""
        terms = [f"{_number(weight)} × {_number(value)}" for weight, value in zip(self.weights, self.inputs)]
        return "z = " + " + ".join(terms + [_number(self.bias)]) + f" = {_plain(self.total)}"

    def worked_output(self):
        """The activation at the point: ``"tanh(−1.77) = −0.94"``."""
        return f"{self.activation}({_plain(self.total)}) = {_plain(self.output)}"


def _plain(value):
    return f"{value:.3f}".replace("-", "−")


def _number(value):
    """A factor of a product: negative numbers in parentheses."""
    return f"({_plain(value)})" if value < 0 else _plain(value)


def _signed(value, first=False):
    if first:
        return _plain(value)
    return f"− {abs(value):.3f}" if value < 0 else f"+ {value:.3f}"


def neuron_detail(snapshot, layer, unit, point):
    """Neuron ``unit`` of ``layer`` (0 is the first hidden layer; the last is the output) at ``point``.

    Parameters
    ----------
    snapshot : helpers.core.playground.Snapshot
    layer, unit : int
    point : pair of float
        Coordinates (x1, x2) of the point.

    Returns
    -------
    NeuronDetail
    """
    layers = len(snapshot.weights)
    if not 0 <= layer < layers or not 0 <= unit < snapshot.weights[layer].shape[1]:
        raise ValueError(
            f"no neuron {unit} in layer {layer}: the network has layers of "
            f"{[kernel.shape[1] for kernel in snapshot.weights]} neurons"
        )
    values = forward(snapshot, point)
    names = (
        list(snapshot.settings.features)
        if layer == 0
        else [neuron_name(layer - 1, j, layers) for j in range(snapshot.weights[layer].shape[0])]
    )
    weights = np.asarray(snapshot.weights[layer], dtype=float)[:, unit]
    bias = float(snapshot.biases[layer][unit])
    total = float(values[layer] @ weights + bias)
    return NeuronDetail(
        name=neuron_name(layer, unit, layers),
        input_names=names,
        inputs=values[layer],
        weights=weights,
        bias=bias,
        total=total,
        activation=layer_activation(snapshot, layer),
        output=float(values[layer + 1][unit]),
        point=tuple(float(v) for v in np.asarray(point).ravel()),
    )


def divergence_reason(settings, first_epoch, last_epoch):
    """Why a network that was finite at ``first_epoch`` and NaN or infinite at ``last_epoch`` diverged.

    SGD with L2 multiplies each weight by ``1 - 2 * learning_rate * rate`` every
    step: from ``learning_rate * rate > 1`` on, each step overshoots zero by more
    than the weight was, and the weights grow without bound. Otherwise the usual
    reason is a learning rate so large that each step overshoots the minimum.

    Parameters
    ----------
    settings : helpers.core.playground.PlaygroundSettings
    first_epoch, last_epoch : int
        Epochs trained before and after the chunk in which it diverged.

    Returns
    -------
    str
        One line for the panel.
    """
    s = settings
    when = (
        f"in epoch {last_epoch}"
        if last_epoch == first_epoch + 1
        else f"between epoch {first_epoch} and epoch {last_epoch}"
    )
    head = f"Stopped: the loss became NaN or infinite {when}, as the weights grew without bound. "
    rate, lr = float(s.regularization_rate), float(s.learning_rate)
    if s.regularization == "l2" and rate * lr > 1:
        return (
            head + f"The regularization rate {rate:g} is too high for the learning rate {lr:g}: each step "
            f"multiplies every weight by 1 - 2 × {lr:g} × {rate:g} = {1 - 2 * lr * rate:g}, so it swings "
            f"further from 0 every step. Lower the regularization rate below {1 / lr:.3g}."
        )
    return (
        head + f"The learning rate {lr:g} is too high: each step overshoots the minimum by more than the "
        f"last. Try {lr / 10:g} or lower (a new learning rate starts the network again)."
    )


def neuron_map(snapshot, layer, unit):
    """The neuron's output over the plot's grid (rows from the bottom), from the snapshot.

    Parameters
    ----------
    snapshot : helpers.core.playground.Snapshot
    layer, unit : int

    Returns
    -------
    numpy.ndarray of shape (resolution, resolution)
    """
    return snapshot.layer_maps[layer][unit]
