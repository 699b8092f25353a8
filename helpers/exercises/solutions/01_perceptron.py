# Reference solutions of 01_perceptron's exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("01.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 01.1
# w·x + b = 0.5 * 3 - 1 * 1 + 0 = 0.5 > 0: the answer is 1, the label 0, so y - ŷ = -1
answer_01_1 = (0.5 + 0.5 * -1 * 3, -1.0 + 0.5 * -1 * 1, 0.0 + 0.5 * -1)  # (-1.0, -1.5, -0.5)


# %% 01.2
def train_perceptron(x, y, learning_rate, max_epochs):
    w, b, updates = np.zeros(x.shape[1]), 0.0, []
    for epoch in range(max_epochs):
        w, b, count = perceptron_epoch(w, b, x, y, learning_rate)
        updates.append(count)
        if count == 0:  # an epoch without a mistake: the rule has settled
            break
    return w, b, updates


# %% 01.3
answer_01_3 = "c"
