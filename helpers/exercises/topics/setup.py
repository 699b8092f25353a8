"""Exercises of ``00_start_here``: a first look at MNIST, which also checks that the set-up works."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake


def _labels():
    from helpers.core import data

    (_, y_train), _ = data.load_mnist()
    return y_train


def check_first_seven(index):
    y_train = _labels()
    first = int(np.flatnonzero(y_train == 7)[0])
    if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
        raise Mistake(f"the answer is an index, a whole number; got {index!r}")
    if not 0 <= index < len(y_train):
        raise Mistake(f"{index} is not an index of the training set: they run from 0 to {len(y_train) - 1}")
    if index == first + 1:
        raise Mistake(f"image {index} is a {y_train[index]}; indexes count from 0, so the first 7 is one lower")
    if y_train[index] != 7:
        raise Mistake(f"training image {index} is a {y_train[index]}, not a 7")
    if index != first:
        raise Mistake(f"image {index} is a 7, but not the first one: there is one before it")
    return f"training image {index} is the first 7 (labels before it: {y_train[:index].tolist()})"


def check_digit_counts(counts):
    y_train = _labels()
    expected = np.bincount(y_train, minlength=10)
    counts = np.asarray(counts)
    if counts.shape == (11,) and np.array_equal(counts[1:], expected):
        raise Mistake("your counts have 11 entries, the first being for a digit -1: count the digits 0 to 9")
    if counts.shape != (10,):
        raise Mistake(f"the answer has shape {counts.shape}; it must hold ten counts, one per digit 0 to 9")
    if np.array_equal(counts, np.arange(10)):
        raise Mistake(
            "these are the digits themselves (what np.unique gives), not how many images show each: count them"
        )
    if counts.sum() == 10_000:
        raise Mistake(
            f"your counts add up to {counts.sum():,}: those are the test images; count the training labels, y_train"
        )
    if np.array_equal(np.sort(counts), np.sort(expected)) and not np.array_equal(counts, expected):
        raise Mistake("these are the right counts in the wrong order: entry d must count the digit d")
    if not np.array_equal(counts, expected):
        wrong = [digit for digit in range(10) if counts[digit] != expected[digit]]
        raise Mistake(
            f"the counts of the digits {wrong} are off (they add up to {counts.sum():,}, "
            f"there are {expected.sum():,} training images)"
        )
    return (
        f"the most frequent digit is {expected.argmax()} ({expected.max():,} images), the rarest "
        f"{expected.argmin()} ({expected.min():,})"
    )


EXERCISES = (
    Exercise(
        "00.1",
        "the first 7",
        "answer_00_1",
        check_first_seven,
        kind="number",
        hints=(
            "y_train holds the label of every training image, in order.",
            "y_train == 7 is True where the image is a 7; np.flatnonzero gives the indexes of the Trues.",
            "int(np.flatnonzero(y_train == 7)[0])",
        ),
    ),
    Exercise(
        "00.2",
        "images of each digit",
        "answer_00_2",
        check_digit_counts,
        kind="number",
        hints=(
            "np.bincount counts how often each whole number occurs in an array.",
            "np.bincount(y_train) has one entry per digit, 0 to 9.",
        ),
    ),
    Choice(
        "00.3",
        "when a panel retrains",
        "answer_00_3",
        options={
            "a": (
                "while the slider is dragged, at every value it passes",
                "it would start a run for every value the slider passes; the panels' sliders report their "
                "value only when released, so a drag starts one run.",
            ),
            "b": (
                "when the slider is released",
                "a slider reports its value when you let go of it, and the panel acts on that one value.",
            ),
            "c": (
                "only when the notebook is run again from the top",
                "the panels act on their own: changing a control redraws or retrains at once, without "
                "running any cell.",
            ),
        },
        right="b",
        hints=("Try the slider of *Try it* above: drag it slowly and watch the image.",),
    ),
)
NOTEBOOK = "00_start_here"
