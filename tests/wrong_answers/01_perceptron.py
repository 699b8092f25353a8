# Typical wrong answers to 01_perceptron's exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import numpy as np


def perceptron(x, w, b):
    return (x @ w + b > 0).astype(int)


def perceptron_epoch(w, b, x, y, learning_rate):
    updates = 0
    for x_i, y_i in zip(x, y):
        error = y_i - perceptron(x_i, w, b)
        w = w + learning_rate * error * x_i
        b = b + learning_rate * error
        updates += int(error != 0)
    return w, b, updates


# %% 01.1: wrong way
answer_01_1 = (2.0, -0.5, 0.5)

# %% 01.1: learning rate is missing
answer_01_1 = (-2.5, -2.0, -1.0)

# %% 01.1: unchanged
answer_01_1 = (0.5, -1.0, 0.0)

# %% 01.1: b was not updated
answer_01_1 = (-1.0, -1.5, 0.0)

# %% 01.1: times its own input
answer_01_1 = (0.0, -1.5, -0.5)


# %% 01.2: went on after epoch 10
def train_perceptron(x, y, learning_rate, max_epochs):
    w, b, updates = np.zeros(x.shape[1]), 0.0, []
    for epoch in range(max_epochs):
        w, b, count = perceptron_epoch(w, b, x, y, learning_rate)
        updates.append(count)
    return w, b, updates


# %% 01.2: still running after 3 s
def train_perceptron(x, y, learning_rate, max_epochs):
    w, b, updates = np.zeros(x.shape[1]), 0.0, []
    while True:
        w, b, count = perceptron_epoch(w, b, x, y, learning_rate)
        updates.append(count)
        if count == 0:
            return w, b, updates


# %% 01.2: does not use its learning_rate
def train_perceptron(x, y, learning_rate, max_epochs):
    w, b, updates = np.zeros(x.shape[1]), 0.0, []
    for epoch in range(max_epochs):
        w, b, count = perceptron_epoch(w, b, x, y, 1.0)
        updates.append(count)
        if count == 0:
            break
    return w, b, updates


# %% 01.2: counts the mistakes of the line
def train_perceptron(x, y, learning_rate, max_epochs):
    w, b, mistakes = np.zeros(x.shape[1]), 0.0, []
    for epoch in range(max_epochs):
        w, b, _ = perceptron_epoch(w, b, x, y, learning_rate)
        mistakes.append(int((perceptron(x, w, b) != y).sum()))
        if mistakes[-1] == 0:
            break
    return w, b, mistakes


# %% 01.3: separability guarantees that the rule stops, not when
answer_01_3 = "a"

# %% 01.3: η does not cancel
answer_01_3 = "b"

# %% 01.3: not gradient descent
answer_01_3 = "d"
