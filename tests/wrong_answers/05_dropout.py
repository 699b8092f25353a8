# Typical wrong answers to 05_dropout's exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import keras
import numpy as np


# %% 05.1: multiplied by rate
def inverted_dropout(h, rate, rng):
    return h * (rng.random(h.shape) >= rate) * rate


# %% 05.1: classic dropout
def inverted_dropout(h, rate, rng):
    return h * (rng.random(h.shape) >= rate) * (1 - rate)


# %% 05.1: probability 0.3
def inverted_dropout(h, rate, rng):
    return h * (rng.random(h.shape) < rate) / (1 - rate)


# %% 05.1: not scaled
def inverted_dropout(h, rate, rng):
    return h * (rng.random(h.shape) >= rate)


# %% 05.1: changed h itself
def inverted_dropout(h, rate, rng):
    h *= (rng.random(h.shape) >= rate) / (1 - rate)
    return h


# %% 05.2: softmax
def build_v3():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10),
        ]
    )


# %% 05.2: fraction to drop
def build_v3():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.7),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.7),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


# %% 05.2: (784,)
def build_v3():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


# %% 05.2: never after the output
def build_v3():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
            keras.layers.Dropout(0.3),
        ]
    )


# %% 05.3: training accuracy above validation
answer_05_3 = "d"

# %% 05.3: training=False
answer_05_3 = "c"

# %% 05.3: one letter
answer_05_3 = "bd"
