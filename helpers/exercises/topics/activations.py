"""Exercises of ``02_activations``: a sigmoid neuron's gradients, a softmax over the rows of a batch, the
vanishing gradient, and the weights a linear output should find."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call

NOTEBOOK = "02_activations"


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _slope(z):
    return _sigmoid(z) * (1 - _sigmoid(z))


# --- 02.1: the gradients of one sigmoid neuron -----------------------------------------------------


def _two_numbers(result):
    if np.ndim(result) == 0 and isinstance(result, (int, float, np.number)):
        raise Mistake(f"neuron_gradients returned one number, {float(result):.4f}; return two, (∂y/∂w, ∂y/∂b)")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Mistake(f"neuron_gradients must return two numbers, (∂y/∂w, ∂y/∂b); got {result!r}")
    try:
        return tuple(float(np.asarray(value, dtype=float).reshape(())) for value in result)
    except (TypeError, ValueError):
        raise Mistake(f"neuron_gradients must return two numbers, (∂y/∂w, ∂y/∂b); got {result!r}") from None


def check_neuron_gradients(neuron_gradients):
    w, b, x = 1.5, -1.0, 2.0
    z = w * x + b  # 2
    dw, db = _two_numbers(call(neuron_gradients, w, b, x))
    s = _sigmoid(z)
    right_dw, right_db = _slope(z) * x, _slope(z)

    def near(got, value):
        return np.isclose(got, value, rtol=1e-4, atol=1e-7)

    if near(dw, right_db) and near(db, right_dw):
        raise Mistake("the two numbers are swapped: return (∂y/∂w, ∂y/∂b), in that order")
    if not near(db, right_db):
        if near(db, s):
            raise Mistake(
                f"∂y/∂b came out {db:.4f}, σ(z) itself at z = {z:g}: the sigmoid's derivative is "
                f"σ(z)(1 − σ(z)) = {right_db:.4f}"
            )
        if near(db, 1 - s):
            raise Mistake(
                f"∂y/∂b came out {db:.4f}, 1 − σ(z) at z = {z:g}: that is one factor of the sigmoid's "
                f"derivative; it is σ(z)(1 − σ(z)) = {right_db:.4f}"
            )
        if near(db, _slope(w * x)):
            raise Mistake(
                f"∂y/∂b came out {db:.4f}, the slope at z = w·x = {w * x:g}: the sum includes the "
                f"bias, z = w·x + b = {z:g}"
            )
        if near(db, right_dw):
            raise Mistake(
                f"∂y/∂b came out {db:.4f}, σ'(z) times x: z = wx + b changes by 1 when b does, so "
                f"∂y/∂b = σ'(z) × 1 = {right_db:.4f}"
            )
        raise Mistake(f"∂y/∂b should be σ'(z) = σ(z)(1 − σ(z)) at z = wx + b = {z:g}, {right_db:.4f}; got {db:.4f}")
    if not near(dw, right_dw):
        if near(dw, right_db):
            raise Mistake(
                f"∂y/∂w came out {dw:.4f}, σ'(z) alone: by the chain rule it is σ'(z) times ∂z/∂w = x, "
                f"so {right_db:.4f} × {x:g}"
            )
        if near(dw, _slope(z) * w):
            raise Mistake(f"∂y/∂w came out {dw:.4f}, σ'(z) times w: that is ∂y/∂x. ∂z/∂w = x, so ∂y/∂w = σ'(z) x")
        raise Mistake(f"∂y/∂w should be σ'(z) x = {right_dw:.4f} at w = {w:g}, b = {b:g}, x = {x:g}; got {dw:.4f}")
    for w, b, x in [(-0.5, 0.3, 4.0), (2.0, 1.0, -3.0), (0.0, 0.0, 1.0)]:
        z = w * x + b
        dw, db = _two_numbers(call(neuron_gradients, w, b, x))
        if not (near(dw, _slope(z) * x) and near(db, _slope(z))):
            raise Mistake(
                f"right at w = 1.5, b = −1, x = 2, but at w = {w:g}, b = {b:g}, x = {x:g} the gradients "
                f"are ({_slope(z) * x:.4f}, {_slope(z):.4f}); got ({dw:.4f}, {db:.4f})"
            )
    return (
        f"at w = 1.5, b = −1, x = 2 (z = 2): ∂y/∂w = {right_dw:.4f} and ∂y/∂b = σ'(2) = {right_db:.4f}, "
        f"against σ'(0) = 0.25 at the middle of the curve"
    )


# --- 02.2: softmax over each row ----------------------------------------------------------------

SOFTMAX_LOGITS = np.array([[2.0, 1.0, 0.1, -1.0], [1000.0, 999.0, 998.0, 0.0], [-1000.0, -1001.0, -1002.0, -1003.0]])


def _softmax_rows(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def check_softmax_rows(softmax_rows):
    logits = SOFTMAX_LOGITS.copy()
    try:
        with np.errstate(all="ignore"):
            got = call(softmax_rows, logits)
    except ValueError as error:
        if "broadcast" in str(error):
            raise Mistake(
                f'dividing raised "{error}": an array of shape (3, 4) divided by the 3 row sums needs '
                "them as a column, e.sum(axis=1, keepdims=True)"
            ) from None
        raise
    if not np.array_equal(logits, SOFTMAX_LOGITS):
        raise Mistake(
            "your function changed `logits` itself (with -= or /=): build new arrays instead, "
            "e.g. e = np.exp(logits - ...)"
        )
    got = np.asarray(got, dtype=float)
    right = _softmax_rows(SOFTMAX_LOGITS)
    if got.shape != SOFTMAX_LOGITS.shape:
        raise Mistake(
            f"the result has shape {got.shape}; it must have the logits' shape {SOFTMAX_LOGITS.shape}, "
            "one probability per class for every row"
        )
    bad_rows = [row for row in range(3) if not np.all(np.isfinite(got[row]))]
    if 1 in bad_rows:
        raise Mistake(
            "the row (1000, 999, 998, 0) came out nan: np.exp(1000) overflows to inf, and inf / inf is "
            "nan. Subtract each row's largest logit before np.exp; it does not change the probabilities"
        )
    if bad_rows:
        names = " and ".join(f"({', '.join(f'{v:g}' for v in SOFTMAX_LOGITS[row])})" for row in bad_rows)
        raise Mistake(
            f"the rows {names} came out nan: you subtracted the largest logit of the whole array "
            "(1000), so every exp of a row far below it underflows to 0, and 0 / 0 is nan. Subtract each "
            "row's own largest logit: logits.max(axis=1, keepdims=True)"
        )
    rows, columns = got.sum(axis=1), got.sum(axis=0)
    if np.allclose(rows, 1):
        if np.allclose(got, right, rtol=1e-6, atol=1e-9):
            return (
                f"every row sums to 1; the logits (2, 1, 0.1, −1) give "
                f"({', '.join(f'{p:.3f}' for p in got[0])}), and (1000, 999, 998, 0) gives "
                f"({', '.join(f'{p:.3f}' for p in got[1])}) without overflowing"
            )
        raise Mistake(
            f"the rows sum to 1, but the first row (2, 1, 0.1, −1) gives "
            f"({', '.join(f'{p:.3f}' for p in got[0])}); softmax gives "
            f"({', '.join(f'{p:.3f}' for p in right[0])}): e^z_k divided by the row's sum of e^z_j"
        )
    if np.allclose(columns, 1):
        raise Mistake(
            "each column sums to 1, not each row: you normalized over axis 0, the examples. Each row "
            "holds one example's K logits: sum over axis=1"
        )
    if np.isclose(got.sum(), 1):
        raise Mistake(
            "the whole array sums to 1 (the notebook's softmax normalizes everything it is given): each "
            "row needs its own softmax, with max and sum taken over axis=1"
        )
    raise Mistake(
        f"the rows sum to ({', '.join(f'{total:.3g}' for total in rows)}); softmax makes each row sum "
        "to 1: divide each row's exponentials by that row's sum"
    )


# --- 02.4: the plane -------------------------------------------------------------------------------


def check_plane_weights(answer):
    try:
        values = np.asarray(answer, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Mistake(f"write three numbers, (w1, w2, b); got {answer!r}") from None
    if values.size != 3 or not np.all(np.isfinite(values)):
        raise Mistake(f"write three finite numbers, (w1, w2, b); got {answer!r}")
    w1, w2, b = values
    if np.allclose(values, [0.1, 0.1, 0.0], atol=1e-9):
        return (
            "w1 = w2 = 0.1 and b = 0: the output 0.1 x1 + 0.1 x2 is then (x1 + x2) / 10 at every point, and "
            "the squared error 0"
        )
    if np.allclose(values, [0.1, 0.1, 0.0], atol=0.005):
        return (
            f"w1 = {w1:g}, w2 = {w2:g}, b = {b:g}, close to the exact w1 = w2 = 0.1, b = 0, with which the "
            "output is (x1 + x2) / 10 at every point and the squared error 0"
        )
    if np.allclose(values, [1.0, 1.0, 0.0], atol=0.005):
        raise Mistake(
            "with w1 = w2 = 1 the output is x1 + x2, ten times the plane's number: at the corner (6, 6) "
            "it gives 12 where the target is 1.2"
        )
    if np.allclose(values, [10.0, 10.0, 0.0], atol=0.05):
        raise Mistake("w1 = w2 = 10 multiplies by 10 instead of dividing: (x1 + x2) / 10 = 0.1 x1 + 0.1 x2")
    if np.allclose(values[:2], [0.1, 0.1], atol=0.005):
        raise Mistake(
            f"the weights are right, but a bias of {b:g} shifts every output by {b:g}: the plane's "
            "number is 0 at (0, 0), so b = 0"
        )
    corners = [(6, 6), (6, -6), (-6, 6), (-6, -6)]
    x1, x2 = max(corners, key=lambda point: abs(w1 * point[0] + w2 * point[1] + b - sum(point) / 10))
    raise Mistake(
        f"with these weights the output at the corner ({x1}, {x2}) is {w1 * x1 + w2 * x2 + b:.3g}; the "
        f"plane's number there is ({x1} {'+' if x2 > 0 else '−'} {abs(x2)}) / 10 = {(x1 + x2) / 10:g}. "
        "Write (x1 + x2) / 10 as "
        "w1 x1 + w2 x2 + b"
    )


EXERCISES = (
    Exercise(
        "02.1",
        "the gradients of a sigmoid neuron",
        "neuron_gradients",
        check_neuron_gradients,
        hints=(
            "y = σ(z) with z = w x + b. By the chain rule ∂y/∂w = σ'(z) ∂z/∂w and ∂y/∂b = σ'(z) ∂z/∂b.",
            "∂z/∂w = x and ∂z/∂b = 1; and σ'(z) is σ(z)(1 − σ(z)), not σ(z).",
            "z = w * x + b; slope = sigmoid(z) * (1 - sigmoid(z)); return slope * x, slope.",
        ),
        kind="code",
    ),
    Exercise(
        "02.2",
        "softmax over the rows of a batch",
        "softmax_rows",
        check_softmax_rows,
        hints=(
            "Each row is one example: take the max and the sum over axis=1, and keep them as a column "
            "(keepdims=True) so that they broadcast against the (m, K) array.",
            "Subtract each row's largest logit before np.exp: np.exp(1000) overflows, np.exp(0) does not.",
            "e = np.exp(logits - logits.max(axis=1, keepdims=True)); return e / e.sum(axis=1, keepdims=True).",
        ),
        kind="code",
    ),
    Choice(
        "02.3",
        "a gradient through five sigmoid layers",
        "answer_02_3",
        options={
            "a": (
                "at most 1/4 of it: each layer's factor σ'(z) is at most 1/4, and the smallest factor decides",
                "the factors multiply, they do not take the smallest: five factors of at most 1/4 leave at most "
                "(1/4)^5 ≈ 0.001.",
            ),
            "b": (
                "at most (1/2)^5 ≈ 0.03 of it, since σ'(0) = σ(0) = 1/2",
                "σ(0) = 1/2 is the sigmoid's value at 0, not its slope: σ'(0) = σ(0)(1 − σ(0)) = 1/4, so at "
                "most (1/4)^5 ≈ 0.001 is left.",
            ),
            "c": (
                "nearly all of it when the sums are very negative, since σ'(z) = 1 − σ(z) is close to 1 there",
                "1 − σ(z) is only one of the two factors: σ'(z) = σ(z)(1 − σ(z)), and σ(z) is close to 0 for very "
                "negative z, so the slope is close to 0 there too (σ'(−5) ≈ 0.0066).",
            ),
            "d": (
                "at most (1/4)^5 ≈ 0.001 of it: five factors multiply, each σ'(z) = σ(z)(1 − σ(z)) at most 1/4",
                "the largest slope, 1/4, is reached at z = 0; through five layers at most 1/1024 ≈ 0.001 is "
                "left, and much less where the sums are far from 0. This is the vanishing "
                "gradient, one reason ReLU, whose slope is 1 wherever it is active, became the default for "
                "hidden layers.",
            ),
        },
        right="d",
        hints=(
            "What is the largest value of σ'(z) = σ(z)(1 − σ(z)), and where is it reached?",
            "Passing through five layers, the gradient is multiplied by five such slopes.",
        ),
    ),
    Exercise(
        "02.4",
        "the weights a linear output finds for the plane",
        "answer_02_4",
        check_plane_weights,
        hints=(
            "With no hidden layer and a linear output, the network computes w1 x1 + w2 x2 + b.",
            "The plane's number at a point is (x1 + x2) / 10. Which w1, w2 and b make the two equal at every point?",
            "(x1 + x2) / 10 = 0.1 x1 + 0.1 x2 + 0.",
        ),
        kind="number",
    ),
)
