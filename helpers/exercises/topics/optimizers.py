"""Exercises of ``06_optimizers``: one Adam step, one SGD-with-momentum step (both against Keras' optimizers),
and how far Adam's first step moves a weight."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call

NOTEBOOK = "06_optimizers"

START = np.array([0.5, -1.0, 2.0])


def _keras_path(optimizer, gradients):
    """The weights after each step of a Keras optimizer on a variable that starts at START."""
    import keras

    variable = keras.Variable(START, dtype="float32")
    path = []
    for gradient in gradients:
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(np.asarray(gradient, dtype="float32")), variable)])
        path.append(keras.ops.convert_to_numpy(variable).astype(float))
    return np.array(path)


def _returned(result, name, size):
    if not isinstance(result, (tuple, list)) or len(result) != size:
        what = "(w, m, v)" if size == 3 else "(w, velocity)"
        kind = type(result).__name__
        got = f"a {kind} of {len(result)}" if isinstance(result, (tuple, list)) else f"one {kind}"
        raise Mistake(f"{name} must return {'three' if size == 3 else 'two'} arrays, {what}; it returned {got}")
    return [np.asarray(part, dtype=float) for part in result]


def _first_difference(path, right, optimizer):
    """The first step where the learner's weights leave Keras' path (by more than 1e-5), for a message."""
    step = next(index for index in range(len(right)) if not np.allclose(path[index], right[index], rtol=0, atol=1e-5))
    return (
        f"after step {step + 1} your weights are {np.round(path[step], 5).tolist()}; {optimizer} gives "
        f"{np.round(right[step], 5).tolist()}"
    )


# --- 06.1: one Adam step -----------------------------------------------------------------------------

ADAM_RATE = 0.01
ADAM_GRADIENTS = np.array([[0.2, -3.0, 0.05], [0.1, 1.0, -0.05], [-0.3, 2.0, 0.1]])


def _adam_path(slip=None, beta1=0.9, beta2=0.999, epsilon=1e-7):
    """Three Adam steps from START written out in NumPy, with one typical slip (or none)."""
    w, m, v, path = START.copy(), np.zeros(3), np.zeros(3), []
    with np.errstate(invalid="ignore", divide="ignore"):
        for t, g in enumerate(ADAM_GRADIENTS, 1):
            b_m, b_v = (beta2, beta1) if slip == "betas swapped" else (beta1, beta2)
            m = b_m * m + (1 - b_m) * g
            v = b_v * v + (1 - b_v) * (g if slip == "not squared" else g**2)
            m_hat = m if slip in ("no correction", "only v corrected") else m / (1 - b_m**t)
            v_hat = v if slip in ("no correction", "only m corrected") else v / (1 - b_v**t)
            if slip == "corrected kept":
                m, v = m_hat, v_hat
            denominator = (v_hat + epsilon) if slip == "no root" else (np.sqrt(v_hat) + epsilon)
            step = ADAM_RATE * (g if slip == "sgd" else m_hat / denominator)
            w = w + step if slip == "sign" else w - step
            path.append(w)
    return np.array(path)


_ADAM_SLIPS = {
    "sign": "your weights moved along the gradient, uphill: the step is subtracted, w - η m̂/(√v̂ + ε)",
    "no correction": "your first step is about 3.16 times the learning rate: the bias correction is missing. "
    "m and v start at zero, so divide them by 1 - β1**t and 1 - β2**t before the step",
    "only m corrected": "only m is bias-corrected: v also starts at zero and needs dividing by 1 - β2**t",
    "only v corrected": "only v is bias-corrected: m also starts at zero and needs dividing by 1 - β1**t",
    "not squared": "v averages the gradient itself, not its square: v = β2 v + (1 - β2) g**2 (its root is then "
    "the size of the gradient; without the square, a negative gradient has no root)",
    "betas swapped": "β1 and β2 are swapped: m, the average of the gradients, forgets with β1 = 0.9; v, the "
    "average of their squares, with β2 = 0.999",
    "corrected kept": "the first step is right, the later ones are not: you returned the bias-corrected m̂ and v̂ "
    "as m and v. Return the running averages uncorrected; the correction is applied afresh at "
    "every step, from t",
    "no root": "the step divides m̂ by v̂ itself; Adam divides by its square root, √v̂ + ε, so that the step has "
    "the size of the learning rate",
    "sgd": "your step is the learning rate times the gradient: that is SGD. Adam moves by η m̂/(√v̂ + ε)",
}


def check_adam_update(adam_update):
    import keras

    right = _keras_path(keras.optimizers.Adam(learning_rate=ADAM_RATE), ADAM_GRADIENTS)
    w, m, v, path = START.copy(), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(ADAM_GRADIENTS, 1):
        with np.errstate(invalid="ignore", divide="ignore"):
            result = call(adam_update, w.copy(), g.copy(), m.copy(), v.copy(), t, ADAM_RATE, name="adam_update")
        w, m, v = _returned(result, "adam_update", 3)
        if w.shape != START.shape or m.shape != START.shape or v.shape != START.shape:
            raise Mistake(
                f"for 3 weights adam_update returned arrays of shapes {w.shape}, {m.shape}, {v.shape}; "
                "w, m and v each have one number per weight"
            )
        path.append(w)
    path = np.array(path)
    if np.allclose(path, right, rtol=0, atol=1e-5):
        first = right[0] - START
        return (
            f"three steps agree with keras.optimizers.Adam(learning_rate={ADAM_RATE}) to within 1e-5; the "
            f"first step moved the weights by {np.round(first, 4).tolist()} for the gradients "
            f"{ADAM_GRADIENTS[0].tolist()}"
        )
    for slip, message in _ADAM_SLIPS.items():
        if np.allclose(path, _adam_path(slip), rtol=0, atol=1e-5, equal_nan=True):
            raise Mistake(message)
    where = _first_difference(path, right, "Keras' Adam")
    raise Mistake(f"{where}. Check m, v, their bias correction with t, and the step η m̂/(√v̂ + ε)")


# --- 06.2: one SGD-with-momentum step ----------------------------------------------------------------

MOMENTUM_RATE = 0.1
MOMENTUM = 0.9
MOMENTUM_GRADIENTS = np.array([[1.0, -2.0, 0.5], [1.0, -2.0, -0.5], [1.0, -1.0, 0.5]])


def _momentum_path(slip=None):
    """Three momentum steps from START written out in NumPy, with one typical slip (or none)."""
    w, velocity, path = START.copy(), np.zeros(3), []
    for g in MOMENTUM_GRADIENTS:
        if slip == "sgd":
            w = w - MOMENTUM_RATE * g
        elif slip == "sign":
            velocity = MOMENTUM * velocity + MOMENTUM_RATE * g
            w = w + velocity
        elif slip == "old velocity":
            w = w + velocity
            velocity = MOMENTUM * velocity - MOMENTUM_RATE * g
        elif slip == "dampened":
            velocity = MOMENTUM * velocity + (1 - MOMENTUM) * g
            w = w - MOMENTUM_RATE * velocity
        elif slip == "no decay":
            velocity = velocity - MOMENTUM_RATE * g
            w = w + velocity
        else:
            velocity = MOMENTUM * velocity - MOMENTUM_RATE * g
            w = w + velocity
        path.append(w)
    return np.array(path)


_MOMENTUM_SLIPS = {
    "sgd": "your weights move by the learning rate times the gradient at every step, as plain SGD: the velocity "
    "is not carried over. v = momentum·v - η g, then w + v",
    "sign": "your weights moved along the gradient, uphill: the velocity takes minus the gradient, "
    "v = momentum·v - η g",
    "old velocity": "your weights did not move on the first step: you moved them by the old velocity before "
    "adding the new gradient to it. Update v first, then move by the new v",
    "dampened": "your first step is ten times too short: you averaged the gradients with 1 - momentum, as "
    "Adam's m does. Keras' SGD adds the whole η g to the velocity: v = momentum·v - η g",
    "no decay": "the velocity is never multiplied by momentum: it keeps every old step in full and grows "
    "without end. v = momentum·v - η g",
}


def check_momentum_update(momentum_update):
    import keras

    right = _keras_path(keras.optimizers.SGD(learning_rate=MOMENTUM_RATE, momentum=MOMENTUM), MOMENTUM_GRADIENTS)
    w, velocity, path = START.copy(), np.zeros(3), []
    for g in MOMENTUM_GRADIENTS:
        result = call(
            momentum_update, w.copy(), g.copy(), velocity.copy(), MOMENTUM_RATE, MOMENTUM, name="momentum_update"
        )
        w, velocity = _returned(result, "momentum_update", 2)
        if w.shape != START.shape or velocity.shape != START.shape:
            raise Mistake(
                f"for 3 weights momentum_update returned arrays of shapes {w.shape} and "
                f"{velocity.shape}; w and the velocity each have one number per weight"
            )
        path.append(w)
    path = np.array(path)
    if np.allclose(path, right, rtol=0, atol=1e-5):
        steps = np.diff(np.vstack([START, right]), axis=0)[:, 0]
        return (
            f"three steps agree with keras.optimizers.SGD(learning_rate={MOMENTUM_RATE}, momentum={MOMENTUM}) "
            f"to within 1e-5; with the same gradient 1.0 each time, the first weight moved by "
            f"{', '.join(f'{step:.3f}' for step in steps)}: the velocity builds up"
        )
    for slip, message in _MOMENTUM_SLIPS.items():
        if np.allclose(path, _momentum_path(slip), rtol=0, atol=1e-5):
            raise Mistake(message)
    where = _first_difference(path, right, "Keras' SGD with momentum")
    raise Mistake(f"{where}. The velocity is v = momentum·v - η g, then the weights move by v")


EXERCISES = (
    Exercise(
        "06.1",
        "one Adam step",
        "adam_update",
        check_adam_update,
        hints=(
            "First the two running averages: m = β1 m + (1 - β1) g and v = β2 v + (1 - β2) g**2.",
            "Then correct both for starting at zero: m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t).",
            "Move against the gradient: w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), and return it "
            "with the uncorrected m and v.",
        ),
        kind="code",
    ),
    Exercise(
        "06.2",
        "one SGD-with-momentum step",
        "momentum_update",
        check_momentum_update,
        hints=(
            "The velocity keeps a fraction `momentum` of itself and adds the new step, minus η times the gradient.",
            "velocity = momentum * velocity - learning_rate * g",
            "Then w = w + velocity; return both.",
        ),
        kind="code",
    ),
    Choice(
        "06.3",
        "how far Adam's first step moves a weight",
        "answer_06_3",
        options={
            "a": (
                "0.000001, 0.001 and 1: each step is the learning rate times the gradient",
                "that is SGD's step. Adam divides m̂ by √v̂; on the first step m̂ = g and v̂ = g², so the "
                "ratio is +1 or -1 whatever the size of g.",
            ),
            "b": (
                "about 0.001 each, against the sign of its gradient",
                "on the first step m̂ = g and √v̂ = |g|, so each weight moves by η g/(|g| + ε), about η. The "
                "size of Adam's step is set by the learning rate and by how steady each weight's gradient has "
                "been, not by the gradient's scale: that is how it adapts to every weight.",
            ),
            "c": (
                "about 0.0032 each, because m and v start at zero",
                "that is the step without the bias correction: m = 0.1 g and √v = √0.001 |g|, about 0.0316 |g|, "
                "a ratio of 3.16. Dividing m by 1 - β1 = 0.1 and v by 1 - β2 = 0.001 undoes the start at zero "
                "and gives η.",
            ),
            "d": (
                "0.001 for the gradients 1 and 1000, almost nothing for 0.001, where ε dominates",
                "ε = 1e-7 is ten thousand times smaller than 0.001: the step is 0.001 × 0.001/(0.001 + 1e-7), "
                "0.0009999. ε matters only for gradients near 1e-7 or below.",
            ),
        },
        right="b",
        hints=(
            "After one step, with m and v starting at zero: what are the bias-corrected m̂ and v̂?",
            "m̂ = g and v̂ = g². What is g/√(g²)?",
        ),
    ),
)
