# Reference solutions of 10_results' exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("10.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 10.1
def difference_in_points(test_accuracies, book_test):
    return 100 * np.mean(test_accuracies) - book_test  # ours in percent, minus the book's


# %% 10.2
def standard_error(accuracies):
    return np.std(accuracies, ddof=1) / np.sqrt(len(accuracies))  # s (divided by n - 1) over the square root of n


# %% 10.3
answer_10_3 = "b"
