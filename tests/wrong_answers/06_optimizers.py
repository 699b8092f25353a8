# Typical wrong answers to 06_optimizers's exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import numpy as np


# %% 06.1: bias correction is missing
def adam_update(w, g, m, v, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    return w - learning_rate * m / (np.sqrt(v) + epsilon), m, v


# %% 06.1: not its square
def adam_update(w, g, m, v, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


# %% 06.1: uphill
def adam_update(w, g, m, v, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return w + learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


# %% 06.1: uncorrected
def adam_update(w, g, m, v, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = (beta1 * m + (1 - beta1) * g) / (1 - beta1**t)
    v = (beta2 * v + (1 - beta2) * g**2) / (1 - beta2**t)
    return w - learning_rate * m / (np.sqrt(v) + epsilon), m, v


# %% 06.1: only m is bias-corrected
def adam_update(w, g, m, v, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    return w - learning_rate * (m / (1 - beta1**t)) / (np.sqrt(v) + epsilon), m, v


# %% 06.2: plain SGD
def momentum_update(w, g, velocity, learning_rate, momentum=0.9):
    return w - learning_rate * g, velocity


# %% 06.2: uphill
def momentum_update(w, g, velocity, learning_rate, momentum=0.9):
    velocity = momentum * velocity + learning_rate * g
    return w + velocity, velocity


# %% 06.2: did not move on the first step
def momentum_update(w, g, velocity, learning_rate, momentum=0.9):
    w = w + velocity
    return w, momentum * velocity - learning_rate * g


# %% 06.2: ten times too short
def momentum_update(w, g, velocity, learning_rate, momentum=0.9):
    velocity = momentum * velocity + (1 - momentum) * g
    return w - learning_rate * velocity, velocity


# %% 06.3: SGD's step
answer_06_3 = "a"

# %% 06.3: without the bias correction
answer_06_3 = "c"

# %% 06.3: ten thousand times smaller
answer_06_3 = "d"
