# Reference solutions of 11_towards_deep_learning's exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("11.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 11.1
def shuffle_pixels(images, permutation):
    return images[:, permutation]  # the same reordering of the 784 columns for every image (row)


# %% 11.2
answer_11_2 = "a"


# %% 11.3
def twin_kernel(kernel, permutation):
    return kernel[permutation]  # row i weighs shuffled pixel i, which is real pixel permutation[i]


# %% 11.4
answer_11_4 = {
    "dense": 784 * 128 + 128,  # a weight from every pixel to every unit, and a bias per unit
    "conv": 3 * 3 * 1 * 32 + 32,  # one 3 x 3 x 1 kernel and a bias per filter, shared by every position
    "positions": 26 * 26,  # a 3-wide window fits at 28 - 3 + 1 = 26 places per row and per column
}
