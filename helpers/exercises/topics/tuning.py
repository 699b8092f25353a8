"""Exercises of ``09_tuning_and_prediction``: the best setting read from validation, why not from the test set,
classes from predict's probabilities, and the odds of random search."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call

NOTEBOOK = "09_tuning_and_prediction"

SETTINGS = ("hidden_units", "batch_size", "learning_rate", "dropout")
#: Six runs of a small grid, each (as a careless search would do) also scored on the test set. The best
#: validation, test and training accuracies, and the lowest ones, all belong to different runs.
_RUNS = (
    (64, 32, 0.001, 0.0, 0.9812, 0.9533, 0.9561),
    (256, 32, 0.001, 0.3, 0.9765, 0.9617, 0.9589),  # best on validation
    (256, 128, 0.01, 0.0, 0.9893, 0.9575, 0.9632),  # best on test
    (64, 128, 0.0001, 0.3, 0.8702, 0.8825, 0.8861),  # the lowest of all three
    (256, 128, 0.001, 0.0, 0.9951, 0.9592, 0.9570),  # best on training
    (64, 32, 0.01, 0.3, 0.9420, 0.9483, 0.9502),
)
COLUMNS = SETTINGS + ("train_accuracy", "val_accuracy", "test_accuracy")


def example_results(order=range(len(_RUNS))):
    """The six runs above as a list of dicts (one per run), in the given order."""
    return [dict(zip(COLUMNS, _RUNS[index])) for index in order]


def _label(row):
    return ", ".join(f"{name}={row[name]:g}" for name in SETTINGS)


def _which_row(result, rows):
    """The row of ``rows`` that ``result`` (a dict) stands for, else None."""
    for row in rows:
        if all(key in row and row[key] == value for key, value in result.items()) and all(
            name in result for name in SETTINGS
        ):
            return row
    return None


def check_best_setting(best_setting):
    chosen = None
    for order in (range(6), (4, 2, 5, 1, 3, 0)):
        rows = example_results(order)
        result = call(best_setting, [dict(row) for row in rows])
        if isinstance(result, (bool, np.bool_)):
            raise Mistake(f"your function returned {result!r}; return the row (the dict) of the best run")
        if isinstance(result, (int, np.integer)):
            raise Mistake(
                f"your function returned {result}, an index; return the row itself (results[i], a dict), "
                "so that its settings and accuracies can be read"
            )
        if isinstance(result, (float, np.floating)):
            raise Mistake(
                f"your function returned {result:g}, an accuracy; return the whole row of the best run "
                "(the dict), not its score"
            )
        if isinstance(result, (list, tuple)):
            raise Mistake(
                f"your function returned a {type(result).__name__} of {len(result)} items; return one "
                "row, the dict of the best run"
            )
        if not isinstance(result, dict):
            raise Mistake(
                f"your function returned a {type(result).__name__}; return the row (the dict) of the best run"
            )
        row = _which_row(result, rows)
        if row is None:
            raise Mistake(
                f"your function returned {result}, which is not one of the rows given (it needs at least "
                f"the four settings {', '.join(SETTINGS)}); return the row of the best run"
            )
        best = {
            name: max(rows, key=lambda row: row[name]) for name in ("val_accuracy", "test_accuracy", "train_accuracy")
        }
        if row is best["val_accuracy"]:
            chosen = row
            continue
        if row is best["test_accuracy"]:
            raise Mistake(
                f"you picked the run with the best test accuracy ({_label(row)}, "
                f"{row['test_accuracy']:.2%} test): the test set used for choosing. Then its test score "
                "is no longer an honest estimate; choose by val_accuracy"
            )
        if row is best["train_accuracy"]:
            raise Mistake(
                f"you picked the run with the best training accuracy ({_label(row)}, "
                f"{row['train_accuracy']:.2%}): training accuracy rewards the run that fits (or overfits) "
                "its own images best; choose by val_accuracy, on images the training did not see"
            )
        if row is min(rows, key=lambda row: row["val_accuracy"]):
            raise Mistake(
                f"you picked the lowest validation accuracy ({row['val_accuracy']:.2%}): an accuracy is "
                "better when higher, so take the max, not the min (or sort with reverse=True)"
            )
        raise Mistake(
            f"you picked the run with {_label(row)} ({row['val_accuracy']:.2%} validation), not the "
            f"best by validation accuracy: that is {_label(best['val_accuracy'])}, "
            f"{best['val_accuracy']['val_accuracy']:.2%}"
        )
    by_test = max(example_results(), key=lambda row: row["test_accuracy"])
    return (
        f"the best validation accuracy, {chosen['val_accuracy']:.2%}, is the run with {_label(chosen)}; its "
        f"test accuracy, {chosen['test_accuracy']:.2%}, is the number to report. Choosing by test accuracy "
        f"would have taken {_label(by_test)} and reported {by_test['test_accuracy']:.2%}, a score the test set "
        "itself had picked"
    )


def example_probabilities():
    """Softmax outputs for 12 images: some top probabilities below 0.5, as a network's early outputs are."""
    logits = np.random.default_rng(0).normal(0.0, 2.0, (12, 10))
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def check_predicted_classes(predicted_classes):
    probabilities = example_probabilities()
    given = probabilities.copy()
    result = call(predicted_classes, given)
    if not np.array_equal(given, probabilities):
        raise Mistake("your function changed the probabilities array itself; return a new array")
    classes = np.asarray(result)
    expected = probabilities.argmax(axis=1)
    if classes.shape == ():
        raise Mistake(
            f"your function returned one number ({classes}): argmax without an axis looks at the "
            "whole array as one flat list. Take it along axis=1, one class per row (image)"
        )
    if classes.shape == (10,) and np.array_equal(classes, probabilities.argmax(axis=0)):
        raise Mistake(
            "the result has 10 values, one per class: argmax over axis 0 runs down the columns (over "
            "the images). Each row is one image, so take argmax over axis=1 (or -1)"
        )
    if classes.shape == probabilities.shape:
        if np.array_equal(classes, np.round(probabilities)) or np.array_equal(classes, probabilities > 0.5):
            empty = int(np.sum(np.round(probabilities).sum(axis=1) == 0))
            raise Mistake(
                f"rounding the probabilities (or > 0.5) gives 0/1 arrays, not classes: {empty} of the 12 "
                "images have no probability above 0.5 and get no class at all. That recipe is for one "
                "sigmoid output; with softmax, the class is the argmax over axis=1"
            )
        if np.array_equal(classes, np.eye(10)[expected]):
            raise Mistake(
                "the result is one-hot (a 1 in the predicted column of each row); return the class "
                "numbers themselves, argmax over axis=1"
            )
        raise Mistake(
            f"the result has the shape of the probabilities, {probabilities.shape}; it needs one class "
            f"per image, shape ({len(probabilities)},)"
        )
    if classes.shape != expected.shape:
        raise Mistake(f"the result has shape {classes.shape}; one class per image gives ({len(probabilities)},)")
    if np.allclose(classes, probabilities.max(axis=1)):
        raise Mistake(
            "these are the largest probabilities, not where they are: max gives the value, argmax its index, the class"
        )
    if np.array_equal(classes, expected + 1):
        raise Mistake("the classes are one too high: the columns count from 0, so column k is the digit k")
    if not np.array_equal(classes, expected):
        wrong = int(np.sum(classes != expected))
        raise Mistake(
            f"{wrong} of the 12 classes differ from the most probable column of their row; the class "
            "is the argmax over axis=1"
        )
    below = int(np.sum(probabilities.max(axis=1) < 0.5))
    return (
        f"classes {expected.tolist()} for the 12 images, one per row, each the column of its largest "
        f"probability (even for the {below} images whose top probability is below 0.5)"
    )


def check_chance_of_a_hit(chance_of_a_hit):
    draws = (1, 5, 24, 29)
    got = [float(call(chance_of_a_hit, n)) for n in draws]
    right = [1 - 0.9**n for n in draws]
    if np.allclose(got, right, atol=1e-9):
        needed = int(np.ceil(np.log(0.05) / np.log(0.9)))
        return (
            f"{got[2]:.1%} with 24 draws (this notebook's budget) against the grid's 30% (its three learning "
            f"rates fall in 3 of the 10 tenths of the default range); {needed} draws are the fewest that give "
            f"{1 - 0.9**needed:.1%}"
        )
    if np.allclose(got, [0.1 * n for n in draws]) or np.allclose(got, [min(1.0, 0.1 * n) for n in draws]):
        raise Mistake(
            f"you added the chances (0.1 per draw: {got[2]:g} for 24 draws). They are not exclusive: two "
            "draws can both land in the good tenth. Count the other way: all N draws miss with "
            "probability 0.9^N"
        )
    if np.allclose(got, [0.9**n for n in draws]):
        raise Mistake(
            f"0.9^N ({got[2]:.3f} for 24 draws) is the chance that every draw misses; the chance of at "
            "least one hit is 1 minus that"
        )
    if np.allclose(got, [1 - 0.1**n for n in draws]):
        raise Mistake(
            "1 - 0.1^N is 1 minus the chance that every draw hits; at least one hit is 1 minus the "
            "chance that every draw misses, and each misses with probability 0.9"
        )
    if np.allclose(got, [0.1**n for n in draws]):
        raise Mistake("0.1^N is the chance that every one of the N draws hits; the question is at least one")
    raise Mistake(
        f"for 1, 5, 24 and 29 draws your function gives {', '.join(f'{g:.4g}' for g in got)}; one "
        "draw alone hits with probability 0.1"
    )


EXERCISES = (
    Exercise(
        "09.1",
        "the best setting, read from validation",
        "best_setting",
        check_best_setting,
        hints=(
            "Three accuracies per run, three jobs: which of them was made to choose settings?",
            "max(results, key=...) returns the item whose key is largest; the key is a function of one row.",
            'return max(results, key=lambda row: row["val_accuracy"])',
        ),
        kind="code",
    ),
    Choice(
        "09.2",
        "why the test set must not choose",
        "answer_09_2",
        options={
            "a": (
                "the test set has fewer images than the validation set, so its accuracy is too noisy to choose by",
                "here it is the other way round: 10,000 test images against 1,200 validation images. Size is not "
                "the reason: however large, a set that has chosen the winner can no longer score it honestly.",
            ),
            "b": (
                "the run picked as the best of many is partly the one that was luckiest on the images that "
                "picked it, so their accuracy is optimistic for it and no longer says how it does on new data",
                "every accuracy is the model's true one plus some noise from the particular images, and the "
                "best of dozens of runs is chosen partly for that noise. The winner's validation accuracy is "
                "optimistic for this reason; a test set looked at once, after choosing, still gives an honest "
                "number.",
            ),
            "c": (
                "model.evaluate on the test set updates the weights, so the network would learn the test images",
                "evaluate only computes the loss and the metrics; the weights do not move (only fit changes "
                "them). The harm is in the choice made with the score, not in computing it.",
            ),
            "d": (
                "the test accuracy is always below the validation accuracy, so choosing by it would favour "
                "settings that are too cautious",
                "it is not always below: in the book's table the RMSprop network has 97.59% validation and 97.84% "
                "test accuracy. And an offset shared by every run would not change which run is best.",
            ),
        },
        right="b",
        hints=(
            "Each accuracy is measured on a finite set of images, so it carries some luck.",
            "If you keep the largest of 48 noisy numbers, is the one you kept more likely to have been lucky or "
            "unlucky?",
        ),
    ),
    Exercise(
        "09.3",
        "classes from predict's probabilities",
        "predicted_classes",
        check_predicted_classes,
        hints=(
            "model.predict returns one row per image and one column per class.",
            "The predicted class is the column of the largest probability in each row: an index, not a value.",
            "return np.argmax(probabilities, axis=1)",
        ),
        kind="code",
    ),
    Exercise(
        "09.4",
        "the odds of random search",
        "chance_of_a_hit",
        check_chance_of_a_hit,
        hints=(
            "It is easier to compute the chance that every draw misses the good tenth.",
            "One draw misses with probability 0.9; independent draws all miss with probability 0.9 ** draws.",
            "return 1 - 0.9 ** draws",
        ),
        kind="number",
    ),
)
