# Reference solutions of 07_regularization's exercises: each section fills the exercise's answer cell.
# The notebook shows one with exercises.solution("07.1"); the tests, `make assignments` and the
# filled-in notebooks of CI read them from here.

# %% 07.1
def l2_penalty(model, lam):
    # the kernels only: kernel_regularizer leaves the biases alone
    return lam * sum(np.sum(np.asarray(layer.kernel) ** 2) for layer in model.layers)


# %% 07.2
def l2_gradient(w, lam):
    return 2 * lam * w  # d(λw²)/dw: proportional to the weight


# %% 07.3
def l1_gradient(w, lam):
    return lam * np.sign(w)  # d(λ|w|)/dw: the same size for every weight (0 at w = 0)


# %% 07.4
def accuracy_early_stopping(patience):
    return keras.callbacks.EarlyStopping(
        monitor="val_accuracy", mode="max", patience=patience, restore_best_weights=True
    )


# %% 07.5
answer_07_5 = "b"
