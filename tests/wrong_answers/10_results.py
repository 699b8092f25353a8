# Typical wrong answers to 10_results' exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import numpy as np


# %% 10.1: multiply ours by 100
def difference_in_points(test_accuracies, book_test):
    return np.mean(test_accuracies) - book_test


# %% 10.1: sign is turned round
def difference_in_points(test_accuracies, book_test):
    return book_test - 100 * np.mean(test_accuracies)


# %% 10.1: relative difference
def difference_in_points(test_accuracies, book_test):
    return (100 * np.mean(test_accuracies) - book_test) / book_test * 100


# %% 10.1: first seed only
def difference_in_points(test_accuracies, book_test):
    return 100 * test_accuracies[0] - book_test


# %% 10.2: ddof=0
def standard_error(accuracies):
    return np.std(accuracies) / np.sqrt(len(accuracies))


# %% 10.2: is the standard deviation
def standard_error(accuracies):
    return np.std(accuracies, ddof=1)


# %% 10.2: divided s by n
def standard_error(accuracies):
    return np.std(accuracies, ddof=1) / len(accuracies)


# %% 10.3: not that the code is the same
answer_10_3 = "a"

# %% 10.3: compares them with nothing else
answer_10_3 = "c"

# %% 10.3: one draw from the spread
answer_10_3 = "d"
