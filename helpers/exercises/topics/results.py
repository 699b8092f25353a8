"""Exercises of ``10_results``: a row's difference from the book in points, the standard error of a row, and what
a reproduction can show."""

import functools

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call

NOTEBOOK = "10_results"


@functools.cache
def table_rows():
    """``(label, the book's test accuracy in percent, ours per seed as fractions)`` for each row of the book's
    table, read from the book's table (:data:`helpers.batch.results.BOOK_TABLE`) and our stored reproduction
    (``data/reproduction/table``)."""
    from helpers.batch import results

    runs = [run for run in results.load_runs(results.STORED_RESULTS_DIR) if run["plan"] == "table"]
    return tuple(
        (
            f"{row.label}, {row.epochs} epochs",
            row.test,
            tuple(
                run["test_accuracy"] for run in sorted(runs, key=lambda run: run["run_id"]) if run["variant"] == row.key
            ),
        )
        for row in results.BOOK_TABLE
    )


def check_difference_in_points(difference_in_points):
    cases = [
        (list(table_rows()[-1][2]), table_rows()[-1][1]),
        ([0.95, 0.96, 0.99], 94.0),
        ([0.9430, 0.9422, 0.9415], 94.25),
    ]
    got = np.array([float(call(difference_in_points, list(ours), book)) for ours, book in cases])
    mean = np.array([100 * np.mean(ours) for ours, _ in cases])
    book = np.array([book for _, book in cases])
    right = mean - book
    close = lambda candidate: np.allclose(got, candidate, rtol=0, atol=1e-6)  # noqa: E731
    if not close(right):
        if close(-right):
            raise Mistake(
                f"the sign is turned round ({got[0]:+.4f} for the Adam row): the difference is ours minus "
                "the book's, so a row where we did better comes out positive"
            )
        if close(np.abs(right)):
            raise Mistake(
                "you returned the size of the difference; keep its sign (ours minus the book's), which "
                "says whether we did better or worse"
            )
        if close(mean / 100 - book):
            raise Mistake(
                f"the difference came out {got[0]:.2f}: our accuracies are fractions (0.9798) and the "
                "book's are percent (97.93). Multiply ours by 100 before subtracting"
            )
        if close(mean / 100 - book / 100):
            raise Mistake(
                f"{got[0]:.6f} is a difference of fractions; a point is one percent of accuracy, so multiply it by 100"
            )
        if close(right / book * 100):
            raise Mistake(
                "you returned the relative difference, as a percentage of the book's accuracy; the "
                "difference in points is simply ours minus the book's, both in percent"
            )
        if close(np.array([100 * ours[0] for ours, _ in cases]) - book):
            raise Mistake("you used the first seed only; the row's number is the mean over its seeds")
        if close(np.array([100 * np.median(ours) for ours, _ in cases]) - book):
            raise Mistake("you took the median of the seeds; the notebook's rows use their mean")
        if close(mean):
            raise Mistake("you returned our mean accuracy; subtract the book's test accuracy from it")
        if np.allclose(got, right, rtol=0, atol=0.006):
            raise Mistake(
                "your numbers are rounded; return the difference as it comes, the notebook rounds only when it prints"
            )
        raise Mistake(
            f"for the Adam row your function gives {got[0]:g}; our mean there is {mean[0]:.4f}% and the "
            f"book's {book[0]}%"
        )
    differences = [float(call(difference_in_points, list(ours), book)) for _, book, ours in table_rows()]
    largest = int(np.argmax(np.abs(differences)))
    _, adam_book, adam_ours = table_rows()[-1]
    listed = ", ".join(f"{d:+.2f}" for d in differences)
    return (
        f"{differences[-1]:+.2f} points for the Adam row (our {100 * np.mean(adam_ours):.2f}% against the "
        f"book's {adam_book:.2f}%). Over the six rows: {listed} points, "
        f"{sum(abs(d) <= 0.5 for d in differences)} of them within ±0.5; the largest is the "
        f"{table_rows()[largest][0]} row"
    )


def _standard_error(values):
    values = np.asarray(values, dtype=float)
    return values.std(ddof=1) / np.sqrt(len(values))


def check_standard_error(standard_error):
    cases = [[97.9, 98.0, 98.1], [100 * a for a in table_rows()[-1][2]], [94.67, 94.58, 94.34, 94.50, 94.61]]
    got = np.array([float(call(standard_error, list(values))) for values in cases])
    n = np.array([len(values) for values in cases])
    s = np.array([np.std(values, ddof=1) for values in cases])
    s0 = np.array([np.std(values) for values in cases])
    close = lambda candidate: np.allclose(got, candidate, rtol=1e-6, atol=1e-9)  # noqa: E731
    if not close(s / np.sqrt(n)):
        if close(s0 / np.sqrt(n)):
            raise Mistake(
                f"{got[0]:.4f} for 97.9, 98.0, 98.1 divides by n inside the standard deviation "
                "(np.std's default, ddof=0); the sample standard deviation divides by n - 1: "
                "np.std(values, ddof=1)"
            )
        if close(s) or close(s0):
            raise Mistake(
                f"{got[0]:.4f} for 97.9, 98.0, 98.1 is the standard deviation, how much one run varies; "
                "the standard error of the mean divides it by the square root of the number of seeds"
            )
        if close(s / n):
            raise Mistake("you divided s by n; the standard error divides it by the square root of n")
        if close(s / np.sqrt(n - 1)):
            raise Mistake(
                "you divided s by the square root of n - 1; the n - 1 belongs inside s, and the standard "
                "error divides s by the square root of n"
            )
        if close(s / np.sqrt(n) / 100):
            raise Mistake(
                f"{got[0]:.6f} for 97.9, 98.0, 98.1 is a hundredth of the standard error: the accuracies "
                "are already in percent, so the standard error comes out in points as it is"
            )
        if close(s**2 / np.sqrt(n)) or close(s**2 / n):
            raise Mistake("you used the variance s²; the standard error is built from s, its square root")
        raise Mistake(
            f"for 97.9, 98.0, 98.1 your function gives {got[0]:g}; the standard error there is "
            f"{s[0] / np.sqrt(3):.4f} (s = {s[0]:.2f}, 3 seeds)"
        )
    outside = []
    for label, book, ours in table_rows():
        values = [100 * a for a in ours]
        error = _standard_error(values)
        difference = np.mean(values) - book
        if abs(difference) > 2 * error:
            outside.append(
                f"the {label} row, {difference:+.2f} points away, {abs(difference) / error:.1f} standard "
                f"errors (SE {error:.2f})"
            )
    adam = _standard_error([100 * a for a in table_rows()[-1][2]])
    message = f"{got[0]:.4f} for 97.9, 98.0, 98.1; the Adam row's standard error is {adam:.2f} points over 3 seeds. "
    if not outside:
        return message + "The book's test accuracy is within two standard errors of our mean in every row"
    return (
        message + f"The book's test accuracy is within two standard errors of our mean in "
        f"{len(table_rows()) - len(outside)} of the 6 rows; not in {'; '.join(outside)}: more than our seeds alone "
        "explain, yet the book's number is a single run made with other software, and a change of compile "
        "path alone moved single runs here by up to 0.32 points"
    )


EXERCISES = (
    Exercise(
        "10.1",
        "a row's difference from the book, in points",
        "difference_in_points",
        check_difference_in_points,
        hints=(
            "First bring both numbers to the same unit: the book's is in percent, ours are fractions.",
            "The row's number is the mean over its seeds: 100 * the mean of test_accuracies, in percent.",
            "return 100 * np.mean(test_accuracies) - book_test",
        ),
        kind="number",
    ),
    Exercise(
        "10.2",
        "the standard error of a row",
        "standard_error",
        check_standard_error,
        hints=(
            "The sample standard deviation s divides the sum of squared deviations by n - 1, not by n.",
            "np.std(values, ddof=1) is s; the standard error divides it by the square root of n.",
            "return np.std(accuracies, ddof=1) / np.sqrt(len(accuracies))",
        ),
        kind="number",
    ),
    Choice(
        "10.3",
        "what a reproduction can show",
        "answer_10_3",
        options={
            "a": (
                "that Keras 3 trains these networks exactly as Keras 2.0 did",
                "matching accuracies show that the results agree within the tolerance, not that the code is the "
                "same. It is not: RMSprop's denominator and the optimizers' ε changed (Keras 2 and Keras 3, "
                "above), a change too small to show in these numbers.",
            ),
            "b": (
                "that the book's numbers are typical of its settings: the same networks, rerun today with other "
                "software and seeds, land within half a point of them; not that each digit of the table comes "
                "out again, nor that the book's settings are the best",
                "a reproduction reruns the book's settings and measures how far they land from its numbers, "
                "beside the spread between seeds. The digits of one run move by tenths of a point from one seed "
                "or version to another, and about settings it did not run it says nothing.",
            ),
            "c": (
                "that the book's settings are the best ones for these networks",
                "a reproduction only reruns the book's settings and compares them with nothing else. The "
                "experiments do: with 256 hidden units (98.20%) or a dropout rate of 0.2 (98.05%) our networks "
                "beat the book's last one.",
            ),
            "d": (
                "nothing, since the book reports a single run per row and a single run cannot be compared with "
                "anything",
                "a single run is one draw from the spread that our seeds measure (a standard deviation of 0.04 to "
                "0.17 points per row). A difference of several points, far beyond that spread, would have shown "
                "that something differs; the largest here is 0.15 points.",
            ),
        },
        right="b",
        hints=(
            "A reproduction reruns the same settings: what can it say about settings it did not run?",
            "Our three seeds of a row differ by a tenth of a point or so: could the book's single run be matched "
            "to its last digit?",
        ),
    ),
)
