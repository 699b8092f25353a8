# Typical wrong answers to 07_regularization's exercises, each a section `# %% ID: words its feedback must contain`.
# The `# %% given` section makes the names the notebook has when its exercises run.

# %% given
import keras
import numpy as np

PATIENCE = 10


# %% 07.1: includes the biases
def l2_penalty(model, lam):
    return lam * sum(np.sum(np.asarray(weight) ** 2) for weight in model.weights)


# %% 07.1: forgot the square
def l2_penalty(model, lam):
    return lam * sum(np.sum(np.abs(np.asarray(layer.kernel))) for layer in model.layers)


# %% 07.1: no square root
def l2_penalty(model, lam):
    return lam * np.sqrt(sum(np.sum(np.asarray(layer.kernel) ** 2) for layer in model.layers))


# %% 07.1: without the 1/2
def l2_penalty(model, lam):
    return lam / 2 * sum(np.sum(np.asarray(layer.kernel) ** 2) for layer in model.layers)


# %% 07.1: not a mean
def l2_penalty(model, lam):
    return lam * sum(np.mean(np.asarray(layer.kernel) ** 2) for layer in model.layers)


# %% 07.1: one number
def l2_penalty(model, lam):
    return [lam * np.sum(np.asarray(layer.kernel) ** 2) for layer in model.layers]


# %% 07.2: forgot the factor 2
def l2_gradient(w, lam):
    return lam * w


# %% 07.2: not its derivative
def l2_gradient(w, lam):
    return lam * w**2


# %% 07.2: direction of the step
def l2_gradient(w, lam):
    return -2 * lam * w


# %% 07.2: one number per weight
def l2_gradient(w, lam):
    return 2 * lam * np.sum(w)


# %% 07.2: changed the array w
def l2_gradient(w, lam):
    w *= 2 * lam
    return w


# %% 07.3: gradient of the L2 penalty
def l1_gradient(w, lam):
    return 2 * lam * w


# %% 07.3: nan
def l1_gradient(w, lam):
    return lam * w / np.abs(w)


# %% 07.3: not its derivative
def l1_gradient(w, lam):
    return lam * np.abs(w)


# %% 07.3: further from zero
def l1_gradient(w, lam):
    return lam * np.ones_like(w)


# %% 07.4: val_loss
def accuracy_early_stopping(patience):
    return keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)


# %% 07.4: mode="max"
def accuracy_early_stopping(patience):
    return keras.callbacks.EarlyStopping(
        monitor="val_accuracy", mode="min", patience=patience, restore_best_weights=True
    )


# %% 07.4: restore_best_weights=True
def accuracy_early_stopping(patience):
    return keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", patience=patience)


# %% 07.4: training accuracy
def accuracy_early_stopping(patience):
    return keras.callbacks.EarlyStopping(monitor="accuracy", mode="max", patience=patience, restore_best_weights=True)


# %% 07.4: accuracy_early_stopping(2 * PATIENCE)
def accuracy_early_stopping(patience):
    return keras.callbacks.EarlyStopping(
        monitor="val_accuracy", mode="max", patience=2 * patience, restore_best_weights=True
    )


# %% 07.4: pass the argument on
def accuracy_early_stopping(patience):
    return keras.callbacks.EarlyStopping(
        monitor="val_accuracy", mode="max", patience=PATIENCE, restore_best_weights=True
    )


# %% 07.5: fades as the weight shrinks
answer_07_5 = "a"

# %% 07.5: exactly the L2 penalty
answer_07_5 = "c"

# %% 07.5: outputs, not its weights
answer_07_5 = "d"
