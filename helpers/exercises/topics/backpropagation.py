"""Exercises of ``08_backpropagation``: the output and hidden deltas of the notebook's 2-3-1 network, the hidden
delta with ReLU, a numerical gradient check, and why backpropagation goes backwards."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call, typical_mistake

NOTEBOOK = "08_backpropagation"

#: The notebook's tiny network and its example x = (0.5, -1.0), y = 1.
W1 = np.array([[0.1, -0.2, 0.3], [0.4, 0.1, -0.5]])
b1 = np.array([0.0, 0.1, -0.1])
W2 = np.array([[0.3], [-0.4], [0.2]])
b2 = np.array([0.05])
EXAMPLE_X = np.array([[0.5, -1.0]])
EXAMPLE_Y = np.array([[1.0]])
#: A batch of four examples with both labels, for the 1/n of the mean loss.
BATCH_X = np.array([[0.5, -1.0], [-1.5, 0.8], [1.2, 1.1], [-0.3, -0.7]])
BATCH_Y = np.array([[1.0], [0.0], [0.0], [1.0]])


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def tape_pass(x, y, activation="sigmoid"):
    """The forward pass in TensorFlow (float64) and the tape's dL/dz of both layers (L: mean cross-entropy).

    Returns a dict of NumPy arrays: z1, a1, z2, y_hat, loss, delta1 (= dL/dz1) and delta2 (= dL/dz2).
    """
    import tensorflow as tf

    x, y = tf.constant(x), tf.constant(y)
    with tf.GradientTape(persistent=True) as tape:
        z1 = x @ tf.constant(W1) + tf.constant(b1)
        tape.watch(z1)
        a1 = tf.sigmoid(z1) if activation == "sigmoid" else tf.nn.relu(z1)
        z2 = a1 @ tf.constant(W2) + tf.constant(b2)
        tape.watch(z2)
        y_hat = tf.sigmoid(z2)
        loss = tf.reduce_mean(-(y * tf.math.log(y_hat) + (1 - y) * tf.math.log(1 - y_hat)))
    delta1, delta2 = tape.gradient(loss, [z1, z2])
    del tape
    values = dict(z1=z1, a1=a1, z2=z2, y_hat=y_hat, loss=loss, delta1=delta1, delta2=delta2)
    return {name: value.numpy() for name, value in values.items()}


def _array(result, shape, name, arguments):
    values = np.asarray(result, dtype=float)
    if values.shape != shape:
        raise Mistake(
            f"your {name}({arguments}) returned shape {values.shape}; it must be {shape}, one row per "
            "example and one column per unit of the layer"
        )
    return values


def _show(row):
    """A row of numbers for a message, without the minus sign of a negative zero."""
    return np.array2string(np.asarray(row) + 0.0, precision=5)


def _matches(got, value):
    return got.shape == value.shape and np.allclose(got, value, rtol=1e-6, atol=1e-12)


def check_output_delta(output_delta):
    example = tape_pass(EXAMPLE_X, EXAMPLE_Y)
    y_hat, y = example["y_hat"], EXAMPLE_Y
    got = _array(call(output_delta, y_hat.copy(), y.copy()), (1, 1), "output_delta", "y_hat, y")
    wrong = [
        (y - y_hat, "that is y − ŷ, the opposite sign: δ⁽²⁾ = ∂L/∂z⁽²⁾ = ŷ − y, positive when ŷ is above the label"),
        (
            (y_hat - y) * y_hat * (1 - y_hat),
            "that is (ŷ − y)·ŷ(1 − ŷ): you multiplied by σ'(z⁽²⁾) = ŷ(1 − ŷ) on top of ŷ − y. The cross-entropy's "
            "∂L/∂ŷ = (ŷ − y)/(ŷ(1 − ŷ)) already cancels it",
        ),
        (
            (y_hat - y) / (y_hat * (1 - y_hat)),
            "that is ∂L/∂ŷ, the derivative with respect to the output ŷ; δ⁽²⁾ is with respect to z⁽²⁾: multiply by "
            "∂ŷ/∂z⁽²⁾ = ŷ(1 − ŷ)",
        ),
        (-(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)), "that is the loss itself, not its derivative"),
    ]
    shown = f"ŷ = {y_hat[0, 0]:.4f}, y = 1"
    if not _matches(got, example["delta2"]):
        why = typical_mistake(got, wrong, _matches) or f"tf.GradientTape gives ∂L/∂z⁽²⁾ = {example['delta2'][0, 0]:.4f}"
        raise Mistake(f"for the notebook's example ({shown}) you gave {got[0, 0]:.4f}; {why}")
    batch = tape_pass(BATCH_X, BATCH_Y)
    n = len(BATCH_X)
    got_batch = _array(call(output_delta, batch["y_hat"].copy(), BATCH_Y.copy()), (n, 1), "output_delta", "y_hat, y")
    if _matches(got_batch, batch["delta2"] * n):
        raise Mistake(
            f"right for one example, but {n} times too large for a batch of {n}: the loss is the mean "
            "over the batch, so every example's δ⁽²⁾ is (ŷ − y)/n. Divide by len(y)"
        )
    if not _matches(got_batch, batch["delta2"]):
        raise Mistake(
            f"right for one example, but not for a batch of {n}: tf.GradientTape gives "
            f"{np.array2string(batch['delta2'].ravel(), precision=4)}, you gave "
            f"{np.array2string(got_batch.ravel(), precision=4)}"
        )
    return (
        f"the output error δ⁽²⁾ = ŷ − y = {got[0, 0]:.4f} for the notebook's example, and (ŷ − y)/{n} for a "
        f"batch of {n}: the same as tf.GradientTape's ∂L/∂z⁽²⁾"
    )


def _hidden_check(function, name, activation, argument):
    """``function(delta2, <argument>, W2)`` on the example and on a batch: [(result, tape_pass), ...]."""
    results = []
    for x, y in ((EXAMPLE_X, EXAMPLE_Y), (BATCH_X, BATCH_Y)):
        reference = tape_pass(x, y, activation)
        arguments = f"delta2, {argument}, W2"
        try:
            result = call(function, reference["delta2"].copy(), reference[argument].copy(), W2.copy())
        except ValueError as error:
            if "matmul" in str(error) or "shape" in str(error) or "broadcast" in str(error):
                raise Mistake(
                    f"your {name}({arguments}) failed on shapes: {error}. delta2 is (n, 1) and W2 "
                    "(3, 1): delta2 @ W2.T is (n, 3), one row per example and one column per hidden "
                    "unit. A transpose is missing or misplaced, or a matrix product (@) stands where "
                    "an element-by-element one (*) belongs"
                ) from None
            raise
        got = np.asarray(result, dtype=float)
        if got.shape != reference["delta1"].shape:
            transposed = " a transpose is missing or misplaced:" if got.shape in ((3, 3), (3, 1)) else ""
            raise Mistake(
                f"your {name}({arguments}) returned shape {got.shape} for {len(x)} "
                f"example{'s' if len(x) > 1 else ''};"
                f"{transposed} δ⁽¹⁾ has one row per example and one column per hidden unit, "
                f"{reference['delta1'].shape}. delta2 @ W2.T is that shape"
            )
        results.append((got, reference))
    return results


def check_hidden_delta(hidden_delta):
    results = _hidden_check(hidden_delta, "hidden_delta", "sigmoid", "a1")
    for got, reference in results:
        back = reference["delta2"] @ W2.T
        a1 = reference["a1"]
        n = len(a1)
        which = "the notebook's example" if n == 1 else f"a batch of {n} examples"
        wrong = [
            (
                back * a1,
                "you multiplied by a1 = σ(z⁽¹⁾) itself; the sigmoid's derivative is σ(z)(1 − σ(z)), so multiply by "
                "a1 * (1 - a1)",
            ),
            (
                back,
                "you forgot the activation's derivative: the error reaches z⁽¹⁾ through the sigmoid, so multiply "
                "delta2 @ W2.T by ∂a⁽¹⁾/∂z⁽¹⁾ = a1 * (1 - a1), element by element",
            ),
            (back * (1 - a1), "you multiplied by 1 − a1 only; the sigmoid's derivative is a1 * (1 - a1)"),
            (
                back * _sigmoid(a1) * (1 - _sigmoid(a1)),
                "you applied the sigmoid to a1 again: a1 is already σ(z⁽¹⁾), so σ'(z⁽¹⁾) = a1 * (1 - a1)",
            ),
            (
                back * a1 * (1 - a1) / n,
                f"that is {n} times too small: delta2 already holds the 1/n of the mean loss; do not divide again",
            ),
            (-(back * a1 * (1 - a1)), "the opposite sign: δ⁽¹⁾ = (δ⁽²⁾ W⁽²⁾ᵀ) ⊙ a⁽¹⁾(1 − a⁽¹⁾), with no minus"),
        ]
        if not _matches(got, reference["delta1"]):
            why = typical_mistake(got, wrong, _matches) or (
                f"tf.GradientTape gives ∂L/∂z⁽¹⁾ = {_show(reference['delta1'][0])}, ..."
            )
            raise Mistake(f"for {which} you gave {_show(got[0])}, ...; {why}")
    got, reference = results[0]
    return (
        f"the hidden error δ⁽¹⁾ = {_show(got[0])} for the notebook's example, and right for a batch of "
        f"{len(results[1][0])} too: the same as tf.GradientTape's ∂L/∂z⁽¹⁾"
    )


def check_relu_hidden_delta(relu_hidden_delta):
    results = _hidden_check(relu_hidden_delta, "relu_hidden_delta", "relu", "z1")
    for got, reference in results:
        back = reference["delta2"] @ W2.T
        z1 = reference["z1"]
        a1 = np.maximum(z1, 0)
        n = len(z1)
        which = "the notebook's example" if n == 1 else f"a batch of {n} examples"
        wrong = [
            (
                back * a1,
                "you multiplied by ReLU(z⁽¹⁾) itself, the unit's output; its derivative is 1 where z > 0 and 0 "
                "elsewhere: (z1 > 0)",
            ),
            (
                back,
                "you forgot the activation's derivative: the units with z ≤ 0 pass no error back, so multiply "
                "delta2 @ W2.T by (z1 > 0)",
            ),
            (
                back * _sigmoid(z1) * (1 - _sigmoid(z1)),
                "that is the sigmoid's derivative σ(z)(1 − σ(z)); ReLU's is 1 where z > 0 and 0 elsewhere: (z1 > 0)",
            ),
            (
                back * a1 * (1 - a1),
                "you used the sigmoid's formula a(1 − a) with a = ReLU(z); ReLU's derivative is 1 where z > 0 and 0 "
                "elsewhere: (z1 > 0)",
            ),
            (
                back * (z1 < 0),
                "you kept the error of the units that are off (z < 0); a ReLU passes the error back only where z > 0",
            ),
        ]
        if not _matches(got, reference["delta1"]):
            why = typical_mistake(got, wrong, _matches) or (
                f"tf.GradientTape gives ∂L/∂z⁽¹⁾ = {_show(reference['delta1'][0])}, ..."
            )
            raise Mistake(
                f"for {which}, with z1 = {np.array2string(z1[0], precision=3)}, ... you gave "
                f"{_show(got[0])}, ...; {why}"
            )
    got, reference = results[0]
    off = int(np.sum(reference["z1"][0] <= 0))
    return (
        f"the hidden error δ⁽¹⁾ = {_show(got[0])} for the notebook's example: {off} of its 3 hidden units "
        "have z ≤ 0 and pass no error back. Right for a batch too, as tf.GradientTape says"
    )


def _cubes(w):
    return float(np.sum(w**3))


def _loss_with_W1(weights):
    """The loss of the notebook's example when ``weights`` replace W1 (NumPy, float64)."""
    y_hat = _sigmoid(_sigmoid(EXAMPLE_X @ weights + b1) @ W2 + b2)
    return np.mean(-(EXAMPLE_Y * np.log(y_hat) + (1 - EXAMPLE_Y) * np.log(1 - y_hat)))


def check_numerical_gradient(numerical_gradient):
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = w.copy()
    epsilon = 0.01
    got = np.asarray(call(numerical_gradient, _cubes, w, epsilon), dtype=float)
    if not np.allclose(w, before, rtol=0, atol=1e-12):
        raise Mistake(
            "after your function, w holds other values: it changed the weights it was given. Shift a "
            "copy (w + shift, or w.copy()), or put each weight back after evaluating f"
        )
    if got.shape != w.shape:
        raise Mistake(
            f"your numerical_gradient returned shape {got.shape} for w of shape {w.shape}: one partial "
            "derivative per weight, the shape of w"
        )
    # For f(w) = Σ w³ the central difference is exactly 3w² + ε², the one-sided one 3w² + 3wε + ε².
    central = 3 * w**2 + epsilon**2
    shown = f"f(w) = sum(w ** 3) at w = {np.array2string(w.ravel())} with epsilon = {epsilon}"
    wrong = [
        (
            3 * w**2 + 3 * w * epsilon + epsilon**2,
            "that is the one-sided difference (f(w + ε) − f(w))/ε, whose error shrinks only like ε; the central "
            "difference (f(w + ε) − f(w − ε))/2ε is accurate to ε²",
        ),
        (
            3 * w**2 - 3 * w * epsilon + epsilon**2,
            "that is the one-sided difference (f(w) − f(w − ε))/ε, whose error shrinks only like ε; the central "
            "difference (f(w + ε) − f(w − ε))/2ε is accurate to ε²",
        ),
        (2 * central, "twice the derivative: the two points w + ε and w − ε are 2ε apart, so divide by 2 * epsilon"),
        (central / epsilon, "divide by 2 * epsilon, once"),
        (
            central * epsilon**2,
            "that is ε² times the central difference: in Python, a / 2 * epsilon divides by 2 and then multiplies by "
            "epsilon. Write a / (2 * epsilon)",
        ),
        (
            np.full(w.shape, central.sum()),
            "every entry is the same: you shifted all the weights at once. Shift one weight at a time "
            "(np.ndindex(w.shape) visits every index) and keep the others where they are",
        ),
    ]
    if not np.allclose(got, central, rtol=1e-8, atol=1e-10):
        why = typical_mistake(got, wrong, lambda got, value: np.allclose(got, value, rtol=1e-6, atol=1e-10)) or (
            f"the central difference is 3w² + ε² = {np.array2string(central.ravel(), precision=4)}"
        )
        raise Mistake(f"for {shown} you gave {np.array2string(got.ravel(), precision=4)}; {why}")

    def network_loss(weights):
        return float(_loss_with_W1(weights))

    numerical = np.asarray(call(numerical_gradient, network_loss, W1.copy(), 1e-5), dtype=float)
    analytic = tape_pass(EXAMPLE_X, EXAMPLE_Y)
    backprop = EXAMPLE_X.T @ analytic["delta1"]
    difference = np.abs(numerical - backprop).max()
    if not difference < 1e-8:
        raise Mistake(
            f"right on f(w) = sum(w ** 3), but on the network's loss as a function of W1 your gradient "
            f"differs from backpropagation's by {difference:.1e}"
        )
    return (
        f"central differences with epsilon = 1e-5 give ∂L/∂W⁽¹⁾ of the notebook's network within "
        f"{difference:.0e} of backpropagation (gradients of about {np.abs(backprop).mean():.0e}), and 3w² + ε² "
        "exactly on sum(w ** 3)"
    )


EXERCISES = (
    Exercise(
        "08.1",
        "the output delta",
        "output_delta",
        check_output_delta,
        hints=(
            "δ⁽²⁾ = ∂L/∂ŷ · ∂ŷ/∂z⁽²⁾; the theory gives both factors, and most of them cancel.",
            "For one example δ⁽²⁾ = ŷ − y. The loss of a batch is the mean over its n examples.",
            "return (y_hat - y) / len(y)",
        ),
        kind="code",
    ),
    Exercise(
        "08.2",
        "the hidden delta",
        "hidden_delta",
        check_hidden_delta,
        hints=(
            "Two steps: the error goes back through the weights, ∂L/∂a⁽¹⁾ = δ⁽²⁾ W⁽²⁾ᵀ, then through the "
            "sigmoid, ∂a⁽¹⁾/∂z⁽¹⁾.",
            "delta2 is (n, 1) and W2 (3, 1), so delta2 @ W2.T is (n, 3). The sigmoid's derivative is "
            "σ(z)(1 − σ(z)) = a1 * (1 - a1).",
            "return (delta2 @ W2.T) * a1 * (1 - a1)",
        ),
        kind="code",
    ),
    Exercise(
        "08.3",
        "the hidden delta with ReLU",
        "relu_hidden_delta",
        check_relu_hidden_delta,
        hints=(
            "Only the activation's derivative changes: the error still goes back through W2 as delta2 @ W2.T.",
            "ReLU(z) = max(z, 0) has slope 1 where z > 0 and 0 where z < 0.",
            "return (delta2 @ W2.T) * (z1 > 0)",
        ),
        kind="code",
    ),
    Exercise(
        "08.4",
        "a numerical gradient check",
        "numerical_gradient",
        check_numerical_gradient,
        hints=(
            "For each index of w (for index in np.ndindex(w.shape)), evaluate f with that one weight moved up "
            "by epsilon and with it moved down by epsilon.",
            "Move a copy, not w itself: shift = np.zeros_like(w); shift[index] = epsilon; then f(w + shift) and "
            "f(w - shift).",
            "gradient = np.zeros_like(w), then for each index: gradient[index] = (f(w + shift) - f(w - shift)) "
            "/ (2 * epsilon)",
        ),
        kind="code",
    ),
    Choice(
        "08.5",
        "why backpropagation goes backwards",
        "answer_08_5",
        options={
            "a": (
                "the chain rule only holds when its factors are multiplied from the output towards the input",
                "the product of the factors is the same whichever end you start from (matrix products are "
                "associative): forward-mode differentiation multiplies the same factors starting from the input. "
                "It gets the same gradient, but needs one pass per weight, where the backward pass needs one in "
                "all.",
            ),
            "b": (
                "every weight's gradient shares the factors from the loss back to its layer: going backwards "
                "computes each layer's δ once and reuses it for all the weights below, so the whole gradient costs "
                "a small multiple of one forward pass",
                "δ⁽²⁾ serves ∂L/∂W⁽²⁾, ∂L/∂b⁽²⁾ and δ⁽¹⁾; δ⁽¹⁾ serves every weight of W⁽¹⁾. Multiplying out each "
                "weight's chain separately would repeat the shared factors once per weight.",
            ),
            "c": (
                "going backwards avoids computing the activations' derivatives",
                "it needs every one of them: δ⁽¹⁾ is δ⁽²⁾ W⁽²⁾ᵀ multiplied by a⁽¹⁾(1 − a⁽¹⁾), computed from the "
                "activations the forward pass kept.",
            ),
            "d": (
                "going backwards gives a more accurate gradient than multiplying out each weight's chain of "
                "derivatives separately",
                "both give the same numbers: the notebook's product of five factors for W⁽¹⁾₁₁ equals dW1[0, 0] "
                "from the backward pass. The difference is the amount of work, not the accuracy.",
            ),
        },
        right="b",
        hints=(
            "Look at the backward pass of forward_backward: which quantities are used more than once?",
            "Count how often δ⁽²⁾ appears in the gradients of the weights of both layers.",
        ),
    ),
)
