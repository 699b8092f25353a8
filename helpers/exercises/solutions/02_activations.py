# Reference solutions of 02_activations' exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("02.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 02.1
def neuron_gradients(w, b, x):
    z = w * x + b
    slope = sigmoid(z) * (1 - sigmoid(z))  # σ'(z)
    return slope * x, slope  # ∂z/∂w = x, ∂z/∂b = 1


# %% 02.2
def softmax_rows(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))  # each row's largest logit becomes 0
    return e / e.sum(axis=1, keepdims=True)  # each row divided by its own sum


# %% 02.3
answer_02_3 = "d"

# %% 02.4
answer_02_4 = (0.1, 0.1, 0.0)  # 0.1 x1 + 0.1 x2 + 0 = (x1 + x2) / 10
