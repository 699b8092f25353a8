# Typical wrong answers to 04_mlp's exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import keras
import numpy as np


# %% 04.1: not divided by 255
def prepare(x, y):
    return x.reshape(len(x), 784).astype("float32"), keras.utils.to_categorical(y, 10)


# %% 04.1: shape (28, 28)
def prepare(x, y):
    return x.astype("float32") / 255, keras.utils.to_categorical(y, 10)


# %% 04.1: not one-hot
def prepare(x, y):
    return x.reshape(len(x), 784).astype("float32") / 255, y


# %% 04.1: reshape(60000, 784) fits only
def prepare(x, y):
    X = x.reshape(60000, 784).astype("float32")
    X /= 255
    return X, keras.utils.to_categorical(y, 10)


# %% 04.1: pass it 10
def prepare(x, y):
    return x.reshape(len(x), 784).astype("float32") / 255, keras.utils.to_categorical(y)


# %% 04.1: float64
def prepare(x, y):
    return x.reshape(len(x), 784) / 255, keras.utils.to_categorical(y, 10)


# %% 04.2: softmax is missing
def build_v2():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
        ]
    )


# %% 04.2: one per digit
def build_v2():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(1, activation="softmax"),
        ]
    )


# %% 04.2: N_HIDDEN is 128
def build_v2():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(10, activation="relu"),
            keras.layers.Dense(10, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


# %% 04.2: (28, 28)
def build_v2():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


# %% 04.2: no input shape
def build_v2():
    return keras.Sequential(
        [
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


# %% 04.2: softmax twice
def build_v2():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
            keras.layers.Activation("softmax"),
        ]
    )


# %% 04.2: V1 again
def build_v2():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128),
            keras.layers.Dense(128),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


# %% 04.3: not the biases
def dense_parameters(sizes):
    return sum(n * m for n, m in zip(sizes[:-1], sizes[1:]))


# %% 04.3: one bias per unit
def dense_parameters(sizes):
    return sum(n * m + n for n, m in zip(sizes[:-1], sizes[1:]))


# %% 04.3: the input is not a layer
def dense_parameters(sizes):
    return sum(n * m for n, m in zip(sizes[:-1], sizes[1:])) + sum(sizes)


# %% 04.3: output layer is missing
def dense_parameters(sizes):
    return sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 2))


# %% 04.4: swapped
def precision_recall(matrix):
    return matrix.diagonal() / matrix.sum(axis=1), matrix.diagonal() / matrix.sum(axis=0)


# %% 04.4: that is recall
def precision_recall(matrix):
    return matrix.diagonal() / matrix.sum(axis=1), matrix.diagonal() / matrix.sum(axis=1)


# %% 04.4: whole matrix
def precision_recall(matrix):
    return matrix.diagonal() / matrix.sum(), matrix.diagonal() / matrix.sum(axis=1)


# %% 04.5: optimistic
answer_04_5 = "a"

# %% 04.5: memorised
answer_04_5 = "c"

# %% 04.5: honest final number
answer_04_5 = "d"
