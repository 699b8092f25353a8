# Typical wrong answers to 08_backpropagation's exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import keras
import numpy as np
import tensorflow as tf

W1 = np.array([[0.1, -0.2, 0.3], [0.4, 0.1, -0.5]])
b1 = np.array([0.0, 0.1, -0.1])
W2 = np.array([[0.3], [-0.4], [0.2]])
b2 = np.array([0.05])
x = np.array([[0.5, -1.0]])
y = np.array([[1.0]])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# %% 08.1: opposite sign
def output_delta(y_hat, y):
    return (y - y_hat) / len(y)


# %% 08.1: on top of
def output_delta(y_hat, y):
    return (y_hat - y) * y_hat * (1 - y_hat) / len(y)


# %% 08.1: with respect to the output
def output_delta(y_hat, y):
    return (y_hat - y) / (y_hat * (1 - y_hat)) / len(y)


# %% 08.1: mean over the batch
def output_delta(y_hat, y):
    return y_hat - y


# %% 08.2: a1 * (1 - a1)
def hidden_delta(delta2, a1, W2):
    return (delta2 @ W2.T) * a1


# %% 08.2: forgot the activation's derivative
def hidden_delta(delta2, a1, W2):
    return delta2 @ W2.T


# %% 08.2: transpose
def hidden_delta(delta2, a1, W2):
    return (delta2 @ W2) * a1 * (1 - a1)


# %% 08.2: transpose
def hidden_delta(delta2, a1, W2):
    return (W2 @ delta2) * a1 * (1 - a1)


# %% 08.2: do not divide again
def hidden_delta(delta2, a1, W2):
    return (delta2 @ W2.T) * a1 * (1 - a1) / len(a1)


# %% 08.3: ReLU(z⁽¹⁾) itself
def relu_hidden_delta(delta2, z1, W2):
    return (delta2 @ W2.T) * np.maximum(z1, 0)


# %% 08.3: sigmoid's derivative
def relu_hidden_delta(delta2, z1, W2):
    return (delta2 @ W2.T) * sigmoid(z1) * (1 - sigmoid(z1))


# %% 08.3: forgot the activation's derivative
def relu_hidden_delta(delta2, z1, W2):
    return delta2 @ W2.T


# %% 08.4: one-sided
def numerical_gradient(f, w, epsilon):
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        shift = np.zeros_like(w)
        shift[index] = epsilon
        gradient[index] = (f(w + shift) - f(w)) / epsilon
    return gradient


# %% 08.4: divide by 2 * epsilon
def numerical_gradient(f, w, epsilon):
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        shift = np.zeros_like(w)
        shift[index] = epsilon
        gradient[index] = (f(w + shift) - f(w - shift)) / epsilon
    return gradient


# %% 08.4: a / (2 * epsilon)
def numerical_gradient(f, w, epsilon):
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        shift = np.zeros_like(w)
        shift[index] = epsilon
        gradient[index] = (f(w + shift) - f(w - shift)) / 2 * epsilon
    return gradient


# %% 08.4: all the weights at once
def numerical_gradient(f, w, epsilon):
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        gradient[index] = (f(w + epsilon) - f(w - epsilon)) / (2 * epsilon)
    return gradient


# %% 08.4: changed the weights
def numerical_gradient(f, w, epsilon):
    gradient = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        w[index] += epsilon
        up = f(w)
        w[index] -= 2 * epsilon
        gradient[index] = (up - f(w)) / (2 * epsilon)
    return gradient


# %% 08.5: one pass per weight
answer_08_5 = "a"

# %% 08.5: needs every one of them
answer_08_5 = "c"

# %% 08.5: not the accuracy
answer_08_5 = "d"
