# Reference solutions of 06_optimizers's exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("06.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 06.1
def adam_update(w, g, m, v, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-7):
    m = beta1 * m + (1 - beta1) * g  # running average of the gradients
    v = beta2 * v + (1 - beta2) * g**2  # ... and of their squares
    m_hat = m / (1 - beta1**t)  # both corrected for starting at zero
    v_hat = v / (1 - beta2**t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


# %% 06.2
def momentum_update(w, g, velocity, learning_rate, momentum=0.9):
    velocity = momentum * velocity - learning_rate * g  # keep part of the last step, add the new one
    return w + velocity, velocity


# %% 06.3
answer_06_3 = "b"
