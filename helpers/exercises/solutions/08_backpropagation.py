# Reference solutions of 08_backpropagation's exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("08.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 08.1
def output_delta(y_hat, y):
    return (y_hat - y) / len(y)  # ∂L/∂z2 of the mean binary cross-entropy over the batch


# %% 08.2
def hidden_delta(delta2, a1, W2):
    return (delta2 @ W2.T) * a1 * (1 - a1)  # back through W2, then through the sigmoid


# %% 08.3
def relu_hidden_delta(delta2, z1, W2):
    return (delta2 @ W2.T) * (z1 > 0)  # ReLU passes the error back only where z > 0


# %% 08.4
def numerical_gradient(f, w, epsilon):
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        shift = np.zeros_like(w)
        shift[index] = epsilon  # one weight at a time, w itself untouched
        gradient[index] = (f(w + shift) - f(w - shift)) / (2 * epsilon)
    return gradient


# %% 08.5
answer_08_5 = "b"
