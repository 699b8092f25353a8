# Reference solutions of 03_gradient_descent's exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("03.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 03.1
slope = 2.0**3 - 2 * 2.0 + 0.5  # C'(2) = 4.5 > 0: downhill is to the left
answer_03_1 = (slope, 2.0 - 0.1 * slope)  # (4.5, 1.55)

# %% 03.2
answer_03_2 = 2 / 10  # |1 - 10 eta| <= 1 along w2, the steep direction; w1 alone would allow up to 2


# %% 03.3
def momentum_descent(gradient, start, learning_rate, beta, steps):
    path = [np.asarray(start, dtype=float)]
    velocity = np.zeros_like(path[0])
    for _ in range(steps):
        velocity = beta * velocity - learning_rate * gradient(path[-1])  # past steps, kept at a rate beta
        path.append(path[-1] + velocity)
    return np.array(path)


# %% 03.4
answer_03_4 = "b"
