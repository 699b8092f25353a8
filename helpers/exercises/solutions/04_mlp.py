# Reference solutions of 04_mlp's exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("04.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 04.1
def prepare(x, y):
    X = x.reshape(len(x), 784).astype("float32") / 255  # one row of 784 pixels per image, in [0, 1]
    Y = keras.utils.to_categorical(y, 10)  # always 10 columns, whatever labels y holds
    return X, Y


# %% 04.2
def build_v2():
    return keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


# %% 04.3
def dense_parameters(sizes):
    # each Dense layer of m units on n inputs: n * m weights and m biases
    return sum(n * m + m for n, m in zip(sizes[:-1], sizes[1:]))


# %% 04.4
def precision_recall(matrix):
    correct = matrix.diagonal()
    precision = correct / matrix.sum(axis=0)  # over what the network predicted as each class (columns)
    recall = correct / matrix.sum(axis=1)  # over what truly is each class (rows)
    return precision, recall


# %% 04.5
answer_04_5 = "b"
