# Typical wrong answers to 03_gradient_descent's exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import numpy as np


def cost(w):
    return w**4 / 4 - w**2 + 0.5 * w + 2


def cost_gradient(w):
    return w**3 - 2 * w + 0.5


def gradient_descent(gradient, start, learning_rate, steps):
    path = [np.asarray(start, dtype=float)]
    for _ in range(steps):
        w = path[-1] - learning_rate * gradient(path[-1])
        path.append(w)
        if not np.all(np.abs(w) < 1e6):
            break
    return np.array(path)


def valley(w):
    return 0.5 * (w[..., 0] ** 2 + 10 * w[..., 1] ** 2)


def valley_gradient(w):
    return np.array([w[0], 10 * w[1]])


VALLEY_START = np.array([-4.5, 1.6])

# %% 03.1: went uphill
answer_03_1 = (4.5, 2.45)

# %% 03.1: learning rate η = 0.1 is missing
answer_03_1 = (4.5, -2.5)

# %% 03.1: the cost itself
answer_03_1 = (3.0, 1.7)

# %% 03.1: step's length
answer_03_1 = (4.5, 0.45)

# %% 03.2: flat direction
answer_03_2 = 2

# %% 03.2: straight to 0
answer_03_2 = 0.1

# %% 03.2: diverges
answer_03_2 = 0.25

# %% 03.2: so do larger rates
answer_03_2 = 0.18


# %% 03.3: plain gradient descent's
def momentum_descent(gradient, start, learning_rate, beta, steps):
    path = [np.asarray(start, dtype=float)]
    for _ in range(steps):
        velocity = -learning_rate * gradient(path[-1])
        path.append(path[-1] + velocity)
    return np.array(path)


# %% 03.3: first step did not move
def momentum_descent(gradient, start, learning_rate, beta, steps):
    path, velocity = [np.asarray(start, dtype=float)], np.zeros_like(start, dtype=float)
    for _ in range(steps):
        path.append(path[-1] + velocity)
        velocity = beta * velocity - learning_rate * gradient(path[-1])
    return np.array(path)


# %% 03.3: against the gradient
def momentum_descent(gradient, start, learning_rate, beta, steps):
    path, velocity = [np.asarray(start, dtype=float)], np.zeros_like(start, dtype=float)
    for _ in range(steps):
        velocity = beta * velocity + learning_rate * gradient(path[-1])
        path.append(path[-1] + velocity)
    return np.array(path)


# %% 03.3: averaged the gradients
def momentum_descent(gradient, start, learning_rate, beta, steps):
    path, velocity = [np.asarray(start, dtype=float)], np.zeros_like(start, dtype=float)
    for _ in range(steps):
        velocity = beta * velocity + (1 - beta) * gradient(path[-1])
        path.append(path[-1] - learning_rate * velocity)
    return np.array(path)


# %% 03.3: with one weight
def momentum_descent(gradient, start, learning_rate, beta, steps):
    path, velocity = [np.asarray(start, dtype=float)], np.zeros(2)
    for _ in range(steps):
        velocity = beta * velocity - learning_rate * gradient(path[-1])
        path.append(path[-1] + velocity)
    return np.array(path)


# %% 03.4: would diverge
answer_03_4 = "a"

# %% 03.4: already handles quickly
answer_03_4 = "c"

# %% 03.4: 84 steps
answer_03_4 = "d"
