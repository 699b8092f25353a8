"""Diagrams of a neuron, a multilayer perceptron and backpropagation, on tiny shapes."""

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from helpers.core import checks
from helpers.figures import backprop_diagram, diagrams


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
        to_rgba(diagrams.POSITIVE_COLOR, 0.75)
    ]


def test_mlp_diagram_rejects_weights_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"weights\[0\] must have shape \(2, 3\)"):
        diagrams.mlp_diagram([2, 3], weights=[np.zeros((3, 2))])
    with pytest.raises(ValueError, match="1 kernel matri"):
        diagrams.mlp_diagram([2, 3], weights=[])
    with pytest.raises(checks.ParameterError, match="max_units_drawn"):
        diagrams.mlp_diagram([2, 3], max_units_drawn=1)


# The forward and backward flow of a 2-3-1 network, on numbers chosen so every label is known in advance.
EXAMPLE_X = np.array([[0.5, -1.0]])
EXAMPLE_DELTA1 = np.array([[-0.03, 0.05, -0.02]])


def example_quantities(**changes):
    a1, delta2 = np.array([[0.25, 0.5, 0.75]]), np.array([[-0.4]])
    quantities = dict(
        z1=np.array([[-0.35, -0.1, 0.55]]),
        a1=a1,
        z2=np.array([[0.111]]),
        y_hat=np.array([[0.6]]),
        loss=np.float64(0.5108),
        delta2=delta2,
        delta1=EXAMPLE_DELTA1,
        dW1=EXAMPLE_X.T @ EXAMPLE_DELTA1,
        dW2=a1.T @ delta2,
    )
    quantities.update(changes)
    return quantities


def axis_texts(ax):
    return [text.get_text() for text in ax.texts]


def arrow_directions(ax):
    """+1 for each arrow pointing right, -1 for each pointing left, 0 for a vertical one."""
    return [
        int(np.sign(round(patch._posA_posB[1][0] - patch._posA_posB[0][0], 9)))
        for patch in ax.patches
        if isinstance(patch, FancyArrowPatch)
    ]


def test_backprop_flow_diagram_labels_the_forward_panel_with_the_values_given():
    fig = backprop_diagram.backprop_flow_diagram(EXAMPLE_X, 1, example_quantities())
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    forward = axis_texts(fig.axes[0])
    for label in (
        "0.500",
        "-1.000",
        "$x_{1}$",
        "$x_{2}$",
        "$z^{(1)}_{1}$ = -0.350   $a^{(1)}_{1}$ = 0.250",
        "$z^{(1)}_{2}$ = -0.100   $a^{(1)}_{2}$ = 0.500",
        "$z^{(1)}_{3}$ = 0.550   $a^{(1)}_{3}$ = 0.750",
        "$z^{(2)}$ = 0.111",
    ):
        assert label in forward, label
    prediction = [text for text in forward if text.startswith("prediction")]
    assert prediction == ["prediction\n$\\hat y$ = 0.600\n\nloss $L$ = 0.511\n(label $y$ = 1)"]
    assert not any("delta" in text for text in forward)


def test_backprop_flow_diagram_labels_the_backward_panel_with_errors_and_two_gradients():
    backward = axis_texts(backprop_diagram.backprop_flow_diagram(EXAMPLE_X, 1, example_quantities()).axes[1])
    for label in (
        "$\\delta^{(1)}_{1}$ = -0.030",
        "$\\delta^{(1)}_{2}$ = 0.050",
        "$\\delta^{(1)}_{3}$ = -0.020",
        "$\\delta^{(2)}$ = -0.400",
    ):
        assert label in backward, label
    assert "error at the output\n$\\delta^{(2)} = \\hat y - y$\n= 0.600 - 1\n= -0.400" in backward
    gradients = [text for text in backward if "\\partial L" in text]
    assert len(gradients) == 1
    # dW2[0] = a1[0] * delta2 = 0.25 * -0.4 and dW1[0, 0] = x1 * delta1[0] = 0.5 * -0.03, read from dW2 and dW1
    assert "0.250 $\\times$ (-0.400) = -0.100" in gradients[0]
    assert "0.500 $\\times$ (-0.030) = -0.015" in gradients[0]


def test_backprop_flow_diagram_writes_the_gradients_it_is_given():
    dW1 = np.full((2, 3), 0.125)
    gradients = " ".join(
        axis_texts(backprop_diagram.backprop_flow_diagram(EXAMPLE_X, 1, example_quantities(dW1=dW1)).axes[1])
    )
    assert "(-0.030) = 0.125" in gradients


def test_backprop_flow_diagram_points_forward_arrows_right_and_backward_arrows_left():
    fig = backprop_diagram.backprop_flow_diagram(EXAMPLE_X[0], np.array([[1.0]]), example_quantities())
    forward, backward = (arrow_directions(ax) for ax in fig.axes)
    # 6 input edges + 3 hidden-to-output edges + the arrow to the prediction
    assert forward == [1] * 10
    # the same 10, plus the two thick edges of the written-out gradients
    assert backward == [-1] * 12


def test_backprop_flow_diagram_with_a_label_of_zero_shows_a_positive_output_error():
    quantities = example_quantities(delta2=np.array([[0.6]]))
    backward = axis_texts(backprop_diagram.backprop_flow_diagram(EXAMPLE_X, 0, quantities).axes[1])
    assert "error at the output\n$\\delta^{(2)} = \\hat y - y$\n= 0.600 - 0\n= 0.600" in backward


@pytest.mark.parametrize(
    "x, y, changes, message",
    [
        (np.zeros((2, 2)), 1, {}, r"x must hold one example, .* got shape \(2, 2\)"),
        (np.zeros((1, 5)), 1, {}, r"x must hold one example, .*n_inputs <= 4, got shape \(1, 5\)"),
        (EXAMPLE_X, [1, 0], {}, r"y must have shape \(1, 1\) \(one label\), got shape \(2,\)"),
        (EXAMPLE_X, 1, {"delta1": np.zeros((1, 2))}, r"delta1 must have shape \(1, 3\) .*got shape \(1, 2\)"),
        (
            EXAMPLE_X,
            1,
            {"dW1": np.zeros((3, 2))},
            r"dW1 must have shape \(2, 3\) \(one example, 2 inputs, 3 hidden units\), got shape \(3, 2\)",
        ),
        (EXAMPLE_X, 1, {"y_hat": np.zeros((4, 1))}, r"y_hat must have shape \(1, 1\) .*got shape \(4, 1\)"),
        (EXAMPLE_X, 1, {"a1": np.zeros((1, 7))}, r"a1 must have shape \(1, n_hidden\) .*got shape \(1, 7\)"),
    ],
)
def test_backprop_flow_diagram_rejects_wrong_shapes_naming_them(x, y, changes, message):
    with pytest.raises(ValueError, match=message):
        backprop_diagram.backprop_flow_diagram(x, y, example_quantities(**changes))


def test_backprop_flow_diagram_names_missing_quantities():
    quantities = example_quantities()
    del quantities["delta1"], quantities["dW2"]
    with pytest.raises(ValueError, match="quantities lacks delta1, dW2; it needs z1, a1"):
        backprop_diagram.backprop_flow_diagram(EXAMPLE_X, 1, quantities)
    with pytest.raises(ValueError, match="quantities must be a dict"):
        backprop_diagram.backprop_flow_diagram(EXAMPLE_X, 1, [1, 2, 3])


def test_number_never_writes_a_small_value_as_zero():
    assert backprop_diagram.number(0.41338) == "0.413"
    assert backprop_diagram.number(-0.47232) == "-0.472"
    assert backprop_diagram.number(0.0) == "0.000"
    assert backprop_diagram.number(-0.00025) == "-2.50e-04"


def test_training_loop_diagram_draws_the_loop_with_the_names_given():
    fig = backprop_diagram.training_loop_diagram(loss="binary cross-entropy", optimizer="SGD")
    assert isinstance(fig, Figure)
    labels = texts(fig)
    for label in (
        "features $X$\n(the inputs)",
        "prediction $\\hat y$",
        "labels $y$",
        "loss $L$\nbinary cross-entropy",
        "gradients $\\partial L / \\partial W$\n(backpropagation)",
        "SGD\nupdates the weights",
    ):
        assert label in labels, label
    assert any("repeat for every batch" in label for label in labels)
    # features -> network -> prediction -> loss, labels -> loss, loss -> gradients -> optimizer -> network
    assert len([p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]) == 7


def test_training_loop_diagram_rejects_a_name_that_is_not_text():
    with pytest.raises(checks.ParameterError, match="optimizer"):
        backprop_diagram.training_loop_diagram(optimizer=0.1)
