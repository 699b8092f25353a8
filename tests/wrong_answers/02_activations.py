# Typical wrong answers to 02_activations' exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(z):
    return sigmoid(z) * (1 - sigmoid(z))


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


# %% 02.1: σ(z) itself
def neuron_gradients(w, b, x):
    z = w * x + b
    return sigmoid(z) * x, sigmoid(z)


# %% 02.1: one factor
def neuron_gradients(w, b, x):
    z = w * x + b
    return (1 - sigmoid(z)) * x, 1 - sigmoid(z)


# %% 02.1: chain rule
def neuron_gradients(w, b, x):
    slope = sigmoid_derivative(w * x + b)
    return slope, slope


# %% 02.1: that is ∂y/∂x
def neuron_gradients(w, b, x):
    slope = sigmoid_derivative(w * x + b)
    return slope * w, slope


# %% 02.1: includes the bias
def neuron_gradients(w, b, x):
    slope = sigmoid_derivative(w * x)
    return slope * x, slope


# %% 02.2: overflows
def softmax_rows(logits):
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


# %% 02.2: whole array
def softmax_rows(logits):
    e = np.exp(logits - logits.max())
    return e / e.sum(axis=1, keepdims=True)


# %% 02.2: each column sums to 1
def softmax_rows(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=0)


# %% 02.2: keepdims=True
def softmax_rows(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


# %% 02.2: notebook's softmax
def softmax_rows(logits):
    return softmax(logits)


# %% 02.3: factors multiply
answer_02_3 = "a"

# %% 02.3: not its slope
answer_02_3 = "b"

# %% 02.3: only one of the two factors
answer_02_3 = "c"

# %% 02.4: ten times
answer_02_4 = (1, 1, 0)

# %% 02.4: bias
answer_02_4 = (0.1, 0.1, 0.5)
