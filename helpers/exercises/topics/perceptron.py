"""Exercises of ``01_perceptron``: one update of the rule by hand, the rule run until it settles, and why the
learning rate does not matter from w = 0."""

import contextlib
import signal
import threading
import time

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call

NOTEBOOK = "01_perceptron"


def _numbers(answer, count, form):
    """``answer`` as a float array of ``count`` finite numbers, or a Mistake saying the form wanted."""
    try:
        values = np.asarray(answer, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Mistake(f"write {count} numbers, {form}; got {answer!r}") from None
    if values.size != count:
        raise Mistake(f"write {count} numbers, {form}; got {values.size}")
    if not np.all(np.isfinite(values)):
        raise Mistake(f"the numbers must be finite; got {answer!r}")
    return values


# --- 01.1: one update by hand --------------------------------------------------------------------

UPDATE_W, UPDATE_B, UPDATE_X, UPDATE_Y, UPDATE_RATE = np.array([0.5, -1.0]), 0.0, np.array([3.0, 1.0]), 0, 0.5


def _update(error, step_x=True, rate=UPDATE_RATE, bias=True):
    w = UPDATE_W + rate * error * (UPDATE_X if step_x else 1.0)
    return np.array([*w, UPDATE_B + (rate * error if bias else 0.0)])


def check_one_update(answer):
    got = _numbers(answer, 3, "(w1, w2, b) after the update")
    z = UPDATE_W @ UPDATE_X + UPDATE_B  # 0.5: the point is on the side answered 1
    error = UPDATE_Y - int(z > 0)  # -1
    right = _update(error)

    def near(values):
        return np.allclose(got, values, atol=1e-3)

    if near(right):
        return (
            f"w = ({got[0]:g}, {got[1]:g}), b = {got[2]:g}: the point (3, 1) got the answer 1 "
            f"(w·x + b = {z:g} > 0) with label 0, so y − ŷ = −1 and the line moved away from it"
        )
    if near(_update(0)):
        raise Mistake(
            f"w and b are unchanged, but the point is misclassified: w·x + b = {z:g} > 0, so the "
            "perceptron answers 1 while the label is 0, and y − ŷ = −1"
        )
    if near(_update(-error)):
        raise Mistake("the update went the wrong way: y − ŷ = 0 − 1 = −1, not +1, so w and b decrease (you used ŷ − y)")
    if near(_update(error, rate=1.0)):
        raise Mistake(f"the learning rate is missing: w changes by η(y − ŷ)x with η = {UPDATE_RATE}, not by (y − ŷ)x")
    if near(_update(error, bias=False)):
        raise Mistake(f"w is right but b was not updated: b ← b + η(y − ŷ) = {right[2]:g}")
    if near(_update(UPDATE_Y - z)):
        raise Mistake(
            f"you used the sum w·x + b = {z:g} as ŷ; the perceptron's answer is the step of it, "
            "ŷ = 1 (since the sum is > 0)"
        )
    if near(_update(error, step_x=False)):
        raise Mistake(
            "each weight changes by η(y − ŷ) times its own input: w ← w + η(y − ŷ)x, with "
            f"x = ({UPDATE_X[0]:g}, {UPDATE_X[1]:g})"
        )
    if np.allclose(got[:2], right[:2], atol=1e-3):
        raise Mistake(f"w is right but b is not: b ← b + η(y − ŷ) = {UPDATE_B:g} + {UPDATE_RATE:g} × (−1)")
    raise Mistake(
        f"(w1, w2, b) = ({got[0]:g}, {got[1]:g}, {got[2]:g}) is not the rule's update: first find "
        "the perceptron's answer ŷ for x = (3, 1), then y − ŷ, then w + η(y − ŷ)x and b + η(y − ŷ)"
    )


# --- 01.2: the rule run until it settles ---------------------------------------------------------


class _TooLong(Exception):
    """Raised inside the learner's function when it runs for too long (an endless loop)."""


@contextlib.contextmanager
def _time_limit(seconds):
    """Stop the code inside after ``seconds`` with :class:`_TooLong` (where signals allow it)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _TooLong()

    previous = signal.signal(signal.SIGALRM, stop)
    started = time.monotonic()
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:  # a timer set outside (a test runner's timeout, say) keeps running
            signal.setitimer(signal.ITIMER_REAL, max(outer_delay - (time.monotonic() - started), 1e-3), outer_interval)


def _step(x, w, b):
    return int(x @ w + b > 0)


def _train(x, y, learning_rate, max_epochs):
    """The reference: epochs of the rule from w = 0, b = 0 until one makes no update (or max_epochs)."""
    w, b, updates = np.zeros(x.shape[1]), 0.0, []
    for _ in range(max_epochs):
        count = 0
        for x_i, y_i in zip(x, y):
            error = y_i - _step(x_i, w, b)
            w, b, count = w + learning_rate * error * x_i, b + learning_rate * error, count + int(error != 0)
        updates.append(count)
        if count == 0:
            break
    return w, b, updates


def _run(train_perceptron, x, y, learning_rate, max_epochs, what):
    try:
        with _time_limit(3.0):
            result = call(train_perceptron, x.copy(), y.copy(), learning_rate, max_epochs)
    except _TooLong:
        raise Mistake(
            f"on {what} your function was still running after 3 s with max_epochs={max_epochs}: "
            "stop after max_epochs epochs even when every epoch makes updates"
        ) from None
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise Mistake(
            f"train_perceptron must return three things, w, b and the list of updates per epoch; "
            f"got {type(result).__name__}"
        )
    w, b, updates = result
    w = np.asarray(w, dtype=float)
    if w.shape != (x.shape[1],):
        raise Mistake(f"w has shape {w.shape}; it must have one weight per input, shape ({x.shape[1]},)")
    b = np.asarray(b, dtype=float).ravel()
    if b.size != 1:
        raise Mistake(f"b must be one number, the bias; got {b.size} numbers")
    if np.ndim(updates) != 1:
        raise Mistake(
            f"the third thing returned must be the list of the updates made in each epoch, such as "
            f"[4, 3, 0]; got {updates!r}"
        )
    updates = [int(count) for count in updates]
    return w, float(b[0]), updates


def check_train_perceptron(train_perceptron):
    from helpers.core import toy_data

    x, y = toy_data.linearly_separable(40, weights=(2.0, -1.0), bias=2.0, margin=0.25, seed=0)
    right_w, right_b, right_updates = _train(x, y, 1.0, 100)
    w, b, updates = _run(train_perceptron, x, y, 1.0, 100, "the notebook's 40 points")
    settled = len(right_updates)
    if updates != right_updates:
        if updates[:settled] == right_updates and len(updates) > settled and not any(updates[settled:]):
            raise Mistake(
                f"the updates per epoch are {updates[: settled + 2]}...: your function went on after "
                f"epoch {settled} made no update. Stop as soon as an epoch makes none"
            )
        if updates == right_updates[:-1]:
            raise Mistake(
                f"the list is {updates}: it misses the last epoch, the one that made no update (0). "
                "Run epochs until one makes no update, and keep its 0 in the list"
            )
        mistakes = []
        w_ref, b_ref = np.zeros(2), 0.0
        for _ in range(settled):
            for x_i, y_i in zip(x, y):
                error = y_i - _step(x_i, w_ref, b_ref)
                w_ref, b_ref = w_ref + error * x_i, b_ref + error
            mistakes.append(int(((x @ w_ref + b_ref > 0).astype(int) != y).sum()))
        if len(updates) >= 2 and updates == mistakes[: len(updates)]:
            raise Mistake(
                f"the list {updates} counts the mistakes of the line after each epoch; it should count "
                f"the updates made during each epoch (perceptron_epoch returns them): {right_updates}"
            )
        if updates and updates[0] != right_updates[0]:
            plural = "" if updates[0] == 1 else "s"
            raise Mistake(
                f"the first epoch made {updates[0]} update{plural}; from w = 0, b = 0 the rule makes "
                f"{right_updates[0]} on these points. Start from w = np.zeros(2) and b = 0"
            )
        raise Mistake(
            f"the updates per epoch are {updates}; from w = 0, b = 0 with the examples in order the "
            f"rule makes {right_updates}"
        )
    if not np.allclose(w, right_w) or not np.isclose(b, right_b):
        raise Mistake(
            f"the updates per epoch are right, but w = ({w[0]:.2f}, {w[1]:.2f}), b = {b:.2f}: return the "
            f"weights after the last epoch, w = ({right_w[0]:.2f}, {right_w[1]:.2f}), b = {right_b:.2f}"
        )
    small_w, small_b, small_updates = _run(train_perceptron, x, y, 0.1, 100, "the notebook's 40 points")
    if np.allclose(small_w, right_w) and np.isclose(small_b, right_b):
        raise Mistake(
            "with learning_rate=0.1 you return the same w and b as with 1: your function does not use "
            "its learning_rate argument"
        )
    if not np.allclose(small_w, 0.1 * right_w) or not np.isclose(small_b, 0.1 * right_b):
        raise Mistake(
            f"with learning_rate=0.1, w = ({small_w[0]:.3f}, {small_w[1]:.3f}), b = {small_b:.3f}; the "
            f"rule from zero gives ({0.1 * right_w[0]:.3f}, {0.1 * right_w[1]:.3f}), b = {0.1 * right_b:.3f}"
        )
    x_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y_xor = np.array([0, 1, 1, 0])
    _, _, xor_updates = _run(train_perceptron, x_xor, y_xor, 1.0, 20, "XOR")
    if len(xor_updates) != 20:
        raise Mistake(
            f"on XOR with max_epochs=20 your list has {len(xor_updates)} entries ({xor_updates}); the "
            "rule never settles there, so it should run all 20 epochs"
        )
    if not all(xor_updates):
        raise Mistake(f"on XOR your list is {xor_updates}; no line separates XOR, so every epoch makes updates")
    return (
        f"on the 40 points the rule settles after {settled} epochs (updates {right_updates}) at "
        f"w = ({w[0]:.2f}, {w[1]:.2f}), b = {b:.2f}; with η = 0.1 after {len(small_updates)} epochs too, "
        "at w and b ten times smaller; "
        f"on XOR it still makes {xor_updates[-1]} updates in epoch 20"
    )


EXERCISES = (
    Exercise(
        "01.1",
        "one update of the perceptron rule",
        "answer_01_1",
        check_one_update,
        hints=(
            "First the perceptron's answer ŷ for x = (3, 1): is w·x + b above 0?",
            "w·x + b = 0.5 × 3 + (−1) × 1 + 0 = 0.5 > 0, so ŷ = 1 while y = 0: y − ŷ = −1.",
            "w ← (0.5, −1) + 0.5 × (−1) × (3, 1) and b ← 0 + 0.5 × (−1).",
        ),
        kind="number",
    ),
    Exercise(
        "01.2",
        "the rule until it settles",
        "train_perceptron",
        check_train_perceptron,
        hints=(
            "Start from w = np.zeros(x.shape[1]) and b = 0.0, and call perceptron_epoch(w, b, x, y, "
            "learning_rate) in a loop of at most max_epochs turns.",
            "Append the number of updates of each epoch to a list, and break out of the loop when it is 0.",
            "for epoch in range(max_epochs): w, b, count = perceptron_epoch(...); updates.append(count); "
            "if count == 0: break; then return w, b, updates.",
        ),
        kind="code",
    ),
    Choice(
        "01.3",
        "why the learning rate does not matter from zero",
        "answer_01_3",
        options={
            "a": (
                "the data are linearly separable, and on separable data the rule always needs the same number of "
                "epochs, whatever η",
                "separability guarantees that the rule stops, not when. From w = (1, 1), b = 0 the same 40 points "
                "take 6 epochs with η = 0.1, 2 with η = 1 and 11 with η = 10.",
            ),
            "b": (
                "the errors y − ŷ are only −1, 0 or +1, so η cancels out of the update",
                "η does not cancel: every update is η(y − ŷ)x, ten times shorter with η = 0.1 than with η = 1, "
                "and the rule ends at w = (1.33, −0.82), b = 0.6 with η = 0.1 against (13.34, −8.22), b = 6 with "
                "η = 1. The answers stay the same because the start, 0, scales too.",
            ),
            "c": (
                "from w = 0, b = 0 every w and b of the run with η = 0.1 is 0.1 times the one with η = 1, and "
                "multiplying w and b by a positive number does not change the sign of w · x + b",
                "so every answer, hence every update, happens at the same example in both runs: the same epochs "
                "and the same line (w = (1.33, −0.82), b = 0.6 with η = 0.1; ten times that with η = 1). From "
                "a start other than 0 this breaks: from w = (1, 1), b = 0 it takes 6, 2 and 11 epochs for "
                "η = 0.1, 1 and 10.",
            ),
            "d": (
                "the perceptron's output is a step, whose derivative is 0, so η never enters the rule",
                "the perceptron rule is not gradient descent on the step: η multiplies every update, "
                "w ← w + η(y − ŷ)x, and the final w with η = 0.1 is ten times smaller than with η = 1.",
            ),
        },
        right="c",
        hints=(
            "Run the rule in your head twice from zero, once with η = 1 and once with η = 0.1: how do the two "
            "w's compare after the first update? After the second?",
            "The perceptron's answer depends only on the sign of w · x + b. What does multiplying w and b by "
            "0.1 do to that sign?",
        ),
    ),
)
