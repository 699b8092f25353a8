"""Diagrams of a neuron and of a multilayer perceptron, on tiny shapes."""

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from helpers.core import checks
from helpers.figures import diagrams


def texts(fig):
    return [text.get_text() for ax in fig.axes for text in ax.texts]


def edge_collections(fig):
    return [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]


def unit_count(fig):
    return sum(len(c.get_offsets()) for c in fig.axes[0].collections if isinstance(c, PathCollection))


def test_neuron_diagram_labels_inputs_weights_bias_and_activation():
    fig = diagrams.neuron_diagram(n_inputs=3, activation="f")
    assert isinstance(fig, Figure)
    labels = texts(fig)
    for label in ("$x_{1}$", "$x_{3}$", "$w_{1}$", "$w_{3}$", "$b$", r"$\Sigma$", "$f$", "$y = f(z)$"):
        assert label in labels, label
    assert "$x_{4}$" not in labels


def test_neuron_diagram_with_many_inputs_names_the_last_with_its_true_index():
    labels = texts(diagrams.neuron_diagram(n_inputs=784, activation="step"))
    assert "$x_{784}$" in labels and "$w_{784}$" in labels
    assert sum(label.startswith("$x_") for label in labels) == 4  # x1, x2, x3, ..., x784
    assert "step" in labels


def test_neuron_diagram_rejects_a_wrong_input_count():
    with pytest.raises(checks.ParameterError, match="n_inputs"):
        diagrams.neuron_diagram(n_inputs=0)


def test_mlp_diagram_draws_every_unit_and_edge_of_a_small_network():
    fig = diagrams.mlp_diagram([3, 2, 1])
    assert isinstance(fig, Figure)
    assert unit_count(fig) == 6
    assert [len(c.get_segments()) for c in edge_collections(fig)] == [6, 2]


def test_mlp_diagram_draws_at_most_max_units_but_labels_the_true_counts():
    fig = diagrams.mlp_diagram([784, 16, 10], max_units_drawn=4)
    assert unit_count(fig) == 12
    assert [len(c.get_segments()) for c in edge_collections(fig)] == [16, 16]
    labels = " ".join(texts(fig))
    for count in ("784 units", "16 units", "10 units"):
        assert count in labels


def test_mlp_diagram_colours_edges_by_the_sign_of_the_weights():
    kernel = np.array([[1.0, -1.0], [0.5, -2.0]])
    plain = edge_collections(diagrams.mlp_diagram([2, 2]))[0]
    weighted = edge_collections(diagrams.mlp_diagram([2, 2], weights=[kernel]))[0]
    assert {tuple(c) for c in plain.get_colors()} == {to_rgba(diagrams.EDGE_COLOR, 0.75)}
    colors = [tuple(c) for c in weighted.get_colors()]
    blue, red = to_rgba(diagrams.POSITIVE_COLOR, 0.75), to_rgba(diagrams.NEGATIVE_COLOR, 0.75)
    # edges in the order (input i, output j): 1, -1, 0.5, -2
    assert colors == [blue, red, blue, red]
    widths = weighted.get_linewidths()
    assert widths[3] == max(widths) and widths[2] == min(widths)


def test_mlp_diagram_picks_the_drawn_units_weights_in_a_big_layer():
    kernel = -np.ones((10, 1))
    kernel[9, 0] = 1.0  # the last unit is drawn after the ellipsis
    colors = edge_collections(diagrams.mlp_diagram([10, 1], max_units_drawn=3, weights=[kernel]))[0].get_colors()
    assert [tuple(c) for c in colors] == [to_rgba(diagrams.NEGATIVE_COLOR, 0.75)] * 2 + [
        to_rgba(diagrams.POSITIVE_COLOR, 0.75)]


def test_mlp_diagram_rejects_weights_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"weights\[0\] must have shape \(2, 3\)"):
        diagrams.mlp_diagram([2, 3], weights=[np.zeros((3, 2))])
    with pytest.raises(ValueError, match="1 kernel matri"):
        diagrams.mlp_diagram([2, 3], weights=[])
    with pytest.raises(checks.ParameterError, match="max_units_drawn"):
        diagrams.mlp_diagram([2, 3], max_units_drawn=1)
