# Reference solutions of 05_dropout's exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("05.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 05.1
def inverted_dropout(h, rate, rng):
    keep = rng.random(h.shape) >= rate  # each unit kept with probability 1 - rate
    return h * keep / (1 - rate)  # the kept units scaled up: the mean stays the same


# %% 05.2
def build_v3():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


# %% 05.3
answer_05_3 = "b"
