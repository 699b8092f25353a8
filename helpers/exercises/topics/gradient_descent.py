"""Exercises of ``03_gradient_descent``: one step by hand, the largest stable learning rate on the valley,
momentum written out, and why momentum is faster there."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call

NOTEBOOK = "03_gradient_descent"


def _cost(w):
    return w**4 / 4 - w**2 + 0.5 * w + 2


def _cost_gradient(w):
    return w**3 - 2 * w + 0.5


def _valley(w):
    return 0.5 * (w[..., 0] ** 2 + 10 * w[..., 1] ** 2)


def _valley_gradient(w):
    return np.array([w[0], 10 * w[1]])


VALLEY_START = (-4.5, 1.6)


def _number(answer, form):
    if isinstance(answer, (bool, str)) or np.ndim(answer) != 0:
        raise Mistake(f"write one number, {form}; got {answer!r}")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise Mistake(f"write one number, {form}; got {answer!r}") from None
    if not np.isfinite(value):
        raise Mistake(f"write a finite number, {form}; got {answer!r}")
    return value


# --- 03.1: one step by hand ------------------------------------------------------------------------

STEP_START, STEP_RATE = 2.0, 0.1


def check_one_step(answer):
    try:
        slope, new_w = (float(value) for value in np.asarray(answer, dtype=float).ravel())
    except (TypeError, ValueError):
        raise Mistake(f"write two numbers, (C'(2), the new w); got {answer!r}") from None
    w, rate = STEP_START, STEP_RATE
    right_slope = _cost_gradient(w)  # 4.5
    right_w = w - rate * right_slope  # 1.55

    def near(got, value):
        return np.isclose(got, value, atol=1e-3)

    if not near(slope, right_slope):
        if near(slope, _cost(w)):
            raise Mistake(f"{slope:g} is C(2), the cost itself; the step needs its slope C'(w) = w³ − 2w + ½ at w = 2")
        if near(slope, w**3 - 2 * w):
            raise Mistake(f"C'(2) came out {slope:g}: the derivative of the term ½w is ½, so C'(w) = w³ − 2w + ½")
        raise Mistake(f"C'(2) is not {slope:g}: put w = 2 into C'(w) = w³ − 2w + ½")
    if near(new_w, right_w):
        return (
            f"C'(2) = {right_slope:g} > 0, so the hiker steps left, downhill: w = 2 − 0.1 × 4.5 = {right_w:g}, "
            f"where the cost is {_cost(right_w):.3f} instead of {_cost(w):g}"
        )
    if near(new_w, w + rate * right_slope):
        raise Mistake(
            f"w = {new_w:g} went uphill: the cost rises to the right of w = 2 (C' > 0), and gradient "
            "descent goes against the gradient: w − η C'(w)"
        )
    if near(new_w, w - right_slope):
        raise Mistake(f"w = {new_w:g} is a full step of C'(w): the learning rate η = {rate:g} is missing, w − η C'(w)")
    if near(new_w, rate * right_slope):
        raise Mistake(f"{new_w:g} is the step's length, η C'(w); the new position is the old one minus it")
    if near(new_w, -rate * right_slope):
        raise Mistake(f"{new_w:g} is the step, −η C'(w); the new position is the old w plus it")
    raise Mistake(
        f"the slope {slope:g} is right, but the new w is not {new_w:g}: w ← w − η C'(w) with w = 2, η = {rate:g}"
    )


# --- 03.2: the largest stable learning rate --------------------------------------------------------


def check_largest_rate(answer):
    rate = _number(answer, "the largest learning rate η that does not diverge on the valley")
    if 0.2 - 1e-3 <= rate <= 0.2 + 1e-9:
        exact = "η = 2/10 = 0.2" if np.isclose(rate, 0.2, rtol=0, atol=1e-12) else f"η = {rate:g}, close to 2/10"
        return (
            f"{exact}: at η = 0.2 a step multiplies w2 by 1 − 10η = −1, so w2 flips between +1.6 and −1.6 for "
            "ever without growing; at any larger η, |1 − 10η| > 1 and w2 grows at every step"
        )
    if rate <= 0:
        raise Mistake("a learning rate is a positive number: η > 0")
    named = {
        2.0: "2 = 2/1 is the limit along the flat direction w1, whose curvature is 1. Along w2 the curvature "
        "is 10, and a step multiplies w2 by 1 − 10η: |1 − 20| = 19 at η = 2",
        1.0: "at η = 1 a step takes w1 straight to 0 (1 − η = 0), but it multiplies w2 by 1 − 10 = −9: "
        "w2 grows ninefold at every step",
        0.1: "at η = 0.1 a step takes w2 straight to 0 (1 − 10η = 0): the fastest rate along w2, not the "
        "largest that converges. Larger ones still converge, zig-zagging across the valley, like 0.18 in "
        "the figure above",
        20.0: "20 is 2 × 10: a step multiplies w2 by 1 − 10η, so the limit divides by the curvature",
    }
    for value, message in named.items():
        if np.isclose(rate, value, rtol=1e-3):
            raise Mistake(message)
    factor = 1 - 10 * rate
    if rate > 0.2:
        raise Mistake(
            f"at η = {rate:g} a step multiplies w2 by 1 − 10η = {factor:.3g}, more than 1 in size: w2 grows "
            "at every step and the walk diverges"
        )
    raise Mistake(
        f"η = {rate:g} converges (a step multiplies w2 by {factor:.3g} and w1 by {1 - rate:.3g}), but so "
        "do larger rates: find where |1 − 10η| reaches 1"
    )


# --- 03.3: momentum ----------------------------------------------------------------------------------


def _momentum(gradient, start, rate, beta, steps, averaged=False):
    path, velocity = [np.asarray(start, dtype=float)], np.zeros_like(np.asarray(start, dtype=float))
    for _ in range(steps):
        if averaged:  # v <- beta v + (1 - beta) g, w <- w - rate v: the averaging form
            velocity = beta * velocity + (1 - beta) * gradient(path[-1])
            path.append(path[-1] - rate * velocity)
        else:
            velocity = beta * velocity - rate * gradient(path[-1])
            path.append(path[-1] + velocity)
    return np.array(path)


def _steps_below(path, target=1e-3):
    below = np.flatnonzero(_valley(path) < target)
    return int(below[0]) if len(below) else None


def _diagnose_momentum(got, right, rate, beta, steps):
    """Name what is wrong with a path on the valley that is not momentum's."""
    if got.shape == (2,):
        raise Mistake(
            "your function returned one position; return the whole path, every position from the start "
            "on, as gradient_descent does"
        )
    if got.shape == (steps, 2) and np.allclose(got, right[1:]):
        raise Mistake(
            f"the path has {steps} positions: it must begin with the start, then one position per step "
            f"({steps + 1} in all)"
        )
    if got.shape != right.shape:
        raise Mistake(
            f"the path has shape {got.shape}; with {steps} steps from a start of 2 weights it has shape "
            f"{right.shape}: the start, then one position per step"
        )
    if np.allclose(got, got[-1]):
        raise Mistake(
            "every position of the path is the same array: you changed w in place (w += v) and appended "
            "it again and again. Append a new array: w = w + v"
        )
    plain = [np.array(VALLEY_START)]
    for _ in range(steps):
        plain.append(plain[-1] - rate * _valley_gradient(plain[-1]))
    if np.allclose(got, plain):
        raise Mistake(
            "your path is plain gradient descent's: the velocity must carry over from one step to the "
            "next, v ← βv − η∇C(w), starting from v = 0"
        )
    if np.allclose(got[1], VALLEY_START):
        raise Mistake(
            "the first step did not move: you moved w with the old velocity before updating it. Update "
            "v ← βv − η∇C(w) first, then w ← w + v"
        )
    if np.allclose(got, _momentum(_valley_gradient, VALLEY_START, rate, beta, steps, averaged=True)):
        raise Mistake(
            "you averaged the gradients, v ← βv + (1 − β)∇C, the form Adam uses: the velocity is an "
            "average of the gradients, so the steps grow no longer than plain descent's. This exercise's "
            "momentum adds them up: v ← βv − η∇C, w ← w + v"
        )
    if _valley(got[5]) > _valley(got[0]):
        raise Mistake(
            f"the cost rose from {_valley(got[0]):.3g} to {_valley(got[5]):.3g} in 5 steps: the velocity "
            "must go against the gradient, v ← βv − η∇C(w)"
        )
    wrong_step = int(np.argmax(~np.all(np.isclose(got, right), axis=1)))
    raise Mistake(
        f"after step {wrong_step} the path is at ({got[wrong_step][0]:.4f}, {got[wrong_step][1]:.4f}); "
        f"momentum gives ({right[wrong_step][0]:.4f}, {right[wrong_step][1]:.4f}). From v = 0: "
        "v ← βv − η∇C(w), then w ← w + v"
    )


def check_momentum(momentum_descent):
    rate, beta, steps = 0.02, 0.8, 60
    start = np.array(VALLEY_START)
    got = np.asarray(call(momentum_descent, _valley_gradient, start, rate, beta, steps), dtype=float)
    if not np.array_equal(start, VALLEY_START):
        raise Mistake("your function changed the start array itself (w += ...): build new arrays, w = w + v")
    right = _momentum(_valley_gradient, VALLEY_START, rate, beta, steps)
    if got.shape != right.shape or not np.allclose(got, right):
        _diagnose_momentum(got, right, rate, beta, steps)
    expected = _momentum(_cost_gradient, 2.0, 0.1, 0.8, 5)
    try:
        one_weight = np.asarray(call(momentum_descent, _cost_gradient, 2.0, 0.1, 0.8, 5), dtype=float)
    except ValueError:  # positions of different shapes, such as a float start and a velocity of 2 numbers
        one_weight = np.empty(0)
    if one_weight.shape != expected.shape:
        raise Mistake(
            f"right on the valley, but with one weight (C(w) from w = 2, 5 steps) the path has shape "
            f"{one_weight.shape} instead of {expected.shape}: start the velocity with the start's shape, "
            "np.zeros_like(start, dtype=float)"
        )
    if not np.allclose(one_weight, expected):
        raise Mistake(
            f"right on the valley, but on C(w) from w = 2 (η = 0.1, β = 0.8) the path is "
            f"{np.round(one_weight, 4)}; momentum gives {np.round(expected, 4)}"
        )
    plain = [np.array(VALLEY_START)]
    for _ in range(1000):
        plain.append(plain[-1] - rate * _valley_gradient(plain[-1]))
    long_path = np.asarray(
        call(momentum_descent, _valley_gradient, np.array(VALLEY_START), rate, beta, 1000), dtype=float
    )
    return (
        f"with β = {beta} and η = {rate} the valley's cost is below 10⁻³ after {_steps_below(long_path)} steps, "
        f"against {_steps_below(np.array(plain))} for plain gradient descent with the same η"
    )


EXERCISES = (
    Exercise(
        "03.1",
        "one gradient-descent step by hand",
        "answer_03_1",
        check_one_step,
        hints=(
            "First the slope at w = 2: C'(w) = w³ − 2w + ½.",
            "C'(2) = 8 − 4 + 0.5 = 4.5. The step goes against the slope: w ← w − η C'(w).",
            "w ← 2 − 0.1 × 4.5.",
        ),
        kind="number",
    ),
    Exercise(
        "03.2",
        "the largest stable learning rate on the valley",
        "answer_03_2",
        check_largest_rate,
        hints=(
            "One step multiplies w1 by (1 − η) and w2 by (1 − 10η). The walk diverges as soon as one of these "
            "factors is larger than 1 in size.",
            "The steep direction w2 fails first: when is |1 − 10η| > 1?",
            "1 − 10η = −1 at η = 2/10.",
        ),
        kind="number",
    ),
    Exercise(
        "03.3",
        "momentum",
        "momentum_descent",
        check_momentum,
        hints=(
            "Keep a velocity v, starting at np.zeros_like(start, dtype=float), next to the path.",
            "At every step first v ← βv − η∇C(w), then w ← w + v; append the new w to the path.",
            "path, v = [np.asarray(start, dtype=float)], np.zeros_like(start, dtype=float); in the loop: "
            "v = beta * v - learning_rate * gradient(path[-1]); path.append(path[-1] + v); return np.array(path).",
        ),
        kind="code",
    ),
    Choice(
        "03.4",
        "why momentum is faster on the valley",
        "answer_03_4",
        options={
            "a": (
                "momentum uses a larger learning rate, η + β = 0.82",
                "η multiplies the gradient as before; β multiplies the old velocity. Plain gradient descent with "
                "η = 0.82 would diverge on this valley: its limit is 0.2.",
            ),
            "b": (
                "along the valley floor (w1) the gradient points the same way step after step, so the velocity "
                "adds the steps up, to as much as 1/(1 − β) = 5 times plain descent's",
                "plain descent shrinks w1 by only 2% per step (1 − η = 0.98), and this slow walk along the floor "
                "is what momentum speeds up: 44 steps to a cost below 10⁻³ instead of 229.",
            ),
            "c": (
                "momentum follows the steepest direction, across the valley, more closely than plain descent",
                "the steepest direction is across the valley (w2), which plain descent already handles quickly: "
                "a step multiplies w2 by 1 − 10η = 0.8. The slow part is along the floor, w1.",
            ),
            "d": (
                "the more momentum the better: with β = 0.9 it would be faster still",
                "with β = 0.9 it needs 84 steps instead of 44: the velocity keeps too much speed, carries the path "
                "past the bottom, and it swings back and forth for longer.",
            ),
        },
        right="b",
        hints=(
            "Which direction of the valley is slow for plain gradient descent at η = 0.02: w1 (curvature 1) or "
            "w2 (curvature 10)?",
            "Along w1 the gradient keeps its sign for many steps. What does v ← βv − η∇C do with gradients "
            "that keep their sign?",
        ),
    ),
)
