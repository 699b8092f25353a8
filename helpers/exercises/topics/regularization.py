"""Exercises of ``07_regularization``: the L2 penalty of a model, the gradients of L2 and L1, early stopping on
the validation accuracy, and which penalty makes a network sparse."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call, typical_mistake

NOTEBOOK = "07_regularization"

#: The weights the gradient checks differentiate: one exactly zero, small and large ones of both signs.
_W = np.array([[0.5, -0.2, 0.0], [1.0, -1.5, 0.03]])


def _one_number(result, name):
    values = np.asarray(result, dtype=float)
    if values.size != 1:
        raise Mistake(
            f"your {name} returned {values.size} numbers (shape {values.shape}); it must return one number, "
            "the penalty summed over every kernel of every layer"
        )
    return float(values.reshape(()))


def _small_model():
    """Three Dense layers with seeded kernels and biases that are not zero (Keras starts them at zero)."""
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(5,)),
            keras.layers.Dense(4, activation="relu"),
            keras.layers.Dense(3, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    rng = np.random.default_rng(7)
    model.set_weights(
        [
            weight if weight.ndim == 2 else rng.normal(0.5, 0.2, weight.shape).astype("float32")
            for weight in model.get_weights()
        ]
    )
    return model


def check_l2_penalty(l2_penalty):
    import keras

    model = _small_model()
    kernels = [np.asarray(layer.kernel, dtype=float) for layer in model.layers]
    biases = [np.asarray(layer.bias, dtype=float) for layer in model.layers]
    lam = 0.01
    got = _one_number(call(l2_penalty, model, lam), "l2_penalty")
    squares = sum(np.sum(kernel**2) for kernel in kernels)
    right = lam * squares
    keras_says = sum(float(keras.regularizers.L2(lam)(layer.kernel)) for layer in model.layers)
    wrong = {
        "biases": (
            lam * (squares + sum(np.sum(bias**2) for bias in biases)),
            "it includes the biases: Keras' kernel_regularizer penalizes the kernels (the connection "
            "weights) only; leave layer.bias out",
        ),
        "abs": (
            lam * sum(np.sum(np.abs(kernel)) for kernel in kernels),
            "that is λΣ|w|, the L1 penalty: you forgot the square. L2 sums w ** 2",
        ),
        "signed": (
            lam * sum(np.sum(kernel) for kernel in kernels),
            "that is λΣw, the sum of the signed weights: you forgot the square. L2 sums w ** 2",
        ),
        "no lambda": (squares, "that is Σw² without λ: multiply by lam"),
        "norm": (
            lam * np.sqrt(squares),
            "that is λ times the norm sqrt(Σw²): the L2 penalty is the squared norm, with no square root",
        ),
        "layer norms": (
            lam * sum(np.sqrt(np.sum(kernel**2)) for kernel in kernels),
            "that is λ times the sum of each layer's norm sqrt(Σw²): the L2 penalty is the squared norm, "
            "with no square root",
        ),
        "half": (
            right / 2,
            "that is λΣw²/2: some books halve the penalty so that its gradient is λw, but Keras' "
            "L2(l2) computes l2 * sum(w ** 2), without the 1/2",
        ),
        "double": (
            2 * right,
            "that is 2λΣw², twice the penalty: the factor 2 belongs to the gradient, 2λw, not to the penalty",
        ),
        "mean": (
            lam * sum(np.mean(kernel**2) for kernel in kernels),
            "that is λ times the mean of w² in each layer: the penalty is a sum over the weights, not a mean",
        ),
        "global mean": (
            lam * squares / sum(kernel.size for kernel in kernels),
            "that is λ times the mean of w² over all the weights: the penalty is a sum, not a mean",
        ),
        "first layer": (
            lam * np.sum(kernels[0] ** 2),
            "that is the first layer's penalty only: kernel_regularizer in every Dense layer adds one "
            "penalty per layer, so sum over all of them",
        ),
        "last layer": (
            lam * np.sum(kernels[-1] ** 2),
            "that is the last layer's penalty only: sum over every Dense layer's kernel",
        ),
    }
    if got == 0:
        raise Mistake(
            "your l2_penalty gave 0. If it reads model.losses: that list holds the penalties of layers "
            "built with a kernel_regularizer, and this model has none. Compute λΣw² from the kernels"
        )
    if not np.isclose(got, right, rtol=1e-5, atol=0):
        mistake = typical_mistake(got, wrong.values(), lambda got, value: np.isclose(got, value, rtol=1e-4, atol=0))
        why = f"{mistake}. The right value is {right:.6f}" if mistake else f"λΣw² over its kernels is {right:.6f}"
        raise Mistake(f"your l2_penalty gave {got:.6f} for a model of three Dense layers with lam = {lam}; {why}")
    other = _one_number(call(l2_penalty, model, 0.003), "l2_penalty")
    if not np.isclose(other, 0.003 * squares, rtol=1e-5, atol=0):
        raise Mistake(
            f"with lam = 0.01 the penalty is right, but with lam = 0.003 you gave {other:.6f} instead of "
            f"{0.003 * squares:.6f}: use the argument lam, not a fixed number"
        )
    count = sum(kernel.size for kernel in kernels)
    return (
        f"the penalty λΣw² = {lam} × {squares:.4f} = {got:.6f} over the {count} kernel weights of the three layers "
        f"(the {sum(bias.size for bias in biases)} biases left out), what keras.regularizers.L2({lam}) adds to "
        f"the loss: {keras_says:.6f}"
    )


def _tape_gradient(regularizer):
    """The regularizer's gradient by automatic differentiation: tf.GradientTape, or jax.grad on Keras' JAX backend."""
    import keras

    if keras.backend.backend() == "jax":
        import jax

        return np.asarray(
            jax.grad(lambda weights: regularizer(weights))(jax.numpy.asarray(_W, dtype="float32")), dtype=float
        )
    import tensorflow as tf

    weights = tf.Variable(_W.astype("float32"))  # Keras computes in float32; older Keras refuses float64 here
    with tf.GradientTape() as tape:
        penalty = regularizer(weights)
    return tape.gradient(penalty, weights).numpy()


def _gradient(function, lam, name):
    weights = _W.copy()
    with np.errstate(divide="ignore", invalid="ignore"):  # w / |w| at 0: the message below says so
        result = np.asarray(call(function, weights, lam), dtype=float)
    if not np.array_equal(weights, _W):
        raise Mistake(
            f"your {name} changed the array w it was given (an in-place operation such as w *= ...): "
            "in training those are the network's weights. Return a new array instead"
        )
    if result.shape != _W.shape:
        raise Mistake(
            f"your {name} returned shape {result.shape} for weights of shape {_W.shape}: the gradient has "
            "one number per weight, the shape of w (a sum over the weights is the penalty, not its "
            "gradient)"
        )
    return result


def check_l2_gradient(l2_gradient):
    import keras

    lam = 0.01
    got = _gradient(l2_gradient, lam, "l2_gradient")
    tape = _tape_gradient(keras.regularizers.L2(lam))
    shown = np.array2string(got[0], precision=4)
    wrong = [
        (lam * _W, "that is λw: you forgot the factor 2. The derivative of w² is 2w, so that of λw² is 2λw"),
        (lam * _W**2, "that is λw², each weight's share of the penalty, not its derivative: d(λw²)/dw = 2λw"),
        (2 * _W, "that is 2w: you forgot λ. The derivative of λw² is 2λw"),
        (
            -2 * lam * _W,
            "that is −2λw, the direction of the step (the update subtracts η times the gradient); the "
            "gradient itself is +2λw",
        ),
        (lam * np.sign(_W), "that is λ·sign(w), the gradient of the L1 penalty λ|w|; L2's is 2λw"),
        (
            2 * lam * np.sign(_W),
            "that is 2λ·sign(w): the derivative of w² is 2w, which depends on the weight's size, not only on its sign",
        ),
    ]
    if not np.allclose(got, tape, rtol=1e-6, atol=1e-12):
        why = typical_mistake(got, wrong, lambda got, value: np.allclose(got, value, rtol=1e-6, atol=1e-12)) or (
            f"tf.GradientTape on keras.regularizers.L2({lam}) gives {np.array2string(tape[0])}, ..."
        )
        raise Mistake(f"for w = {np.array2string(_W[0])}, ... and lam = {lam} you gave {shown}, ...; {why}")
    other = _gradient(l2_gradient, 0.003, "l2_gradient")
    if not np.allclose(other, 0.006 * _W, rtol=1e-6, atol=1e-12):
        raise Mistake("right with lam = 0.01 but not with lam = 0.003: use the argument lam, not a fixed number")
    return (
        f"the gradient 2λw = {shown}, ... for w = {np.array2string(_W[0])}, ...: the same as tf.GradientTape on "
        f"keras.regularizers.L2({lam}). The pull is proportional to the weight: w = 1.0 gets "
        f"{got[1, 0]:.4f}, w = 0.03 only {got[1, 2]:.4f}"
    )


def check_l1_gradient(l1_gradient):
    import keras

    lam = 0.01
    got = _gradient(l1_gradient, lam, "l1_gradient")
    tape = _tape_gradient(keras.regularizers.L1(lam))
    shown = np.array2string(got[0], precision=4)
    zero = _W == 0
    if np.isnan(got).any():
        where = ", ".join(str(value) for value in _W[np.isnan(got)])
        raise Mistake(
            f"your gradient is nan for w = {where}: w / |w| divides 0 by 0. |w| has no slope at 0; "
            "np.sign(w) gives 0 there, as TensorFlow does"
        )
    wrong = [
        (
            lam * np.abs(_W),
            "that is λ|w|, each weight's share of the penalty, not its derivative: d(λ|w|)/dw = λ·sign(w)",
        ),
        (
            lam * (_W > 0),
            "negative weights get no pull at all: the slope of |w| is −1 for them, so λ·sign(w) gives them −λ",
        ),
        (
            2 * lam * _W,
            "that is 2λw, the gradient of the L2 penalty; L1's, λ·sign(w), does not depend on the weight's size",
        ),
        (
            lam * _W,
            "that is λw, a pull proportional to the weight, like L2's; the derivative of |w| is sign(w): "
            "+1 or −1 whatever the size",
        ),
        (
            2 * lam * np.sign(_W),
            "that is 2λ·sign(w): the factor 2 comes from differentiating w², but the derivative "
            "of |w| is sign(w), without a 2",
        ),
        (np.sign(_W), "that is sign(w): you forgot λ. The gradient of λ|w| is λ·sign(w)"),
        (
            -lam * np.sign(_W),
            "that is −λ·sign(w), the direction of the step (the update subtracts η times the "
            "gradient); the gradient itself is +λ·sign(w)",
        ),
    ]
    if not np.allclose(got[~zero], tape[~zero], rtol=1e-6, atol=1e-12):
        if np.allclose(got[~zero], lam, rtol=1e-6):
            raise Mistake(
                f"you gave {shown}, ...: +λ for every weight, so a negative weight would be pushed further "
                "from zero. The pull points towards zero: λ·sign(w), −λ for a negative weight"
            )
        # At w = 0 any value in [−λ, λ] is right (checked below): compare the other weights only.
        mistake = typical_mistake(
            got, wrong, lambda got, value: np.allclose(got[~zero], value[~zero], rtol=1e-6, atol=1e-12)
        )
        why = mistake or f"tf.GradientTape on keras.regularizers.L1({lam}) gives {np.array2string(tape[0])}, ..."
        raise Mistake(f"for w = {np.array2string(_W[0])}, ... and lam = {lam} you gave {shown}, ...; {why}")
    if np.abs(got[zero]).max() > lam * (1 + 1e-9):
        raise Mistake(
            f"at w = 0 you gave {got[zero][0]:.4f}: |w| has no slope there, and any value between −λ and "
            "λ is a valid choice, but not one outside; np.sign(w) gives 0, as TensorFlow does"
        )
    other = _gradient(l1_gradient, 0.003, "l1_gradient")
    if not np.allclose(other[~zero], 0.003 * np.sign(_W[~zero]), rtol=1e-6, atol=1e-12):
        raise Mistake("right with lam = 0.01 but not with lam = 0.003: use the argument lam, not a fixed number")
    return (
        f"the gradient λ·sign(w) = {shown}, ... for w = {np.array2string(_W[0])}, ...: the same as "
        f"tf.GradientTape on keras.regularizers.L1({lam}) (at w = 0, {got[0, 2]:g}). The pull is the same for "
        f"w = 1.0 and w = 0.03, "
        f"{got[1, 0]:.4f} and {got[1, 2]:.4f}: that is what drives small weights all the way to zero"
    )


#: Validation accuracy, validation loss, training accuracy and loss of an imagined run, epoch by epoch.
_VAL_ACCURACY = [0.80, 0.85, 0.86, 0.86, 0.85, 0.86, 0.84, 0.85, 0.86, 0.85, 0.87, 0.86, 0.85, 0.86, 0.85, 0.86]
_VAL_LOSS = [0.60, 0.55, 0.58, 0.62, 0.66, 0.70, 0.74, 0.78, 0.80, 0.83, 0.85, 0.88, 0.90, 0.92, 0.95, 0.97]


def _run_early_stopping(callback):
    """Drive ``callback`` as fit does over the imagined run; the model's weight is the epoch number.

    Returns the last epoch run and the epoch whose weights the model ends with (both counted from 0).
    """
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.compile(loss="mse", metrics=["accuracy"], run_eagerly=True)  # eagerly: nothing to trace, no warning
    model.evaluate(np.zeros((1, 1)), np.zeros((1, 1)), verbose=0)  # builds the metrics, as fit has by epoch end
    callback.set_model(model)
    callback.on_train_begin()
    for epoch, (val_accuracy, val_loss) in enumerate(zip(_VAL_ACCURACY, _VAL_LOSS)):
        model.set_weights([np.full((1, 1), float(epoch), dtype="float32"), np.zeros(1, dtype="float32")])
        callback.on_epoch_end(
            epoch,
            {
                "loss": 0.5 / (epoch + 1),
                "accuracy": 0.80 + 0.01 * epoch,
                "val_loss": val_loss,
                "val_accuracy": val_accuracy,
            },
        )
        if model.stop_training:
            break
    callback.on_train_end()
    return epoch, int(round(float(model.get_weights()[0][0, 0])))


def _ideal_stop(patience):
    """The epoch after which a right callback stops, and the best epoch it goes back to (from 0)."""
    best = 0
    for epoch, value in enumerate(_VAL_ACCURACY):
        if value > _VAL_ACCURACY[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(_VAL_ACCURACY) - 1, best


def check_accuracy_early_stopping(accuracy_early_stopping):
    import warnings

    import keras

    patience = 3
    callback = call(accuracy_early_stopping, patience)
    if isinstance(callback, (list, tuple)):
        raise Mistake(
            "accuracy_early_stopping returned a list: return the callback itself; the list goes into "
            "fit's callbacks=[...]"
        )
    if not isinstance(callback, keras.callbacks.EarlyStopping):
        raise Mistake(
            f"accuracy_early_stopping returned a {type(callback).__name__}; it must return a "
            "keras.callbacks.EarlyStopping"
        )
    if callback.patience == 2 * patience:
        raise Mistake(
            f"asked for a patience of {patience}, the callback waits {callback.patience} epochs: the "
            "function's argument is the patience itself; double it where you call the function, "
            "accuracy_early_stopping(2 * PATIENCE)"
        )
    if callback.patience != patience:
        raise Mistake(
            f"asked for a patience of {patience}, the callback waits {callback.patience} epochs: pass "
            "the argument on, patience=patience"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a monitor missing from the logs warns; the message below says it
        stopped, restored = _run_early_stopping(callback)
    right_stop, best = _ideal_stop(patience)
    if callback.monitor == "val_loss":
        raise Mistake(
            'the callback watches val_loss (EarlyStopping\'s default): monitor="val_accuracy" makes it '
            f"watch the validation accuracy. On a run whose validation loss is lowest after epoch "
            f"{int(np.argmin(_VAL_LOSS)) + 1} and validation accuracy highest after epoch {best + 1}, it "
            f"stopped after epoch {stopped + 1} instead of {right_stop + 1}"
        )
    if callback.monitor == "accuracy":
        raise Mistake(
            'the callback watches the training accuracy ("accuracy"), which keeps rising while the '
            f"network learns the training images by heart: it never stopped in this {len(_VAL_LOSS)}-epoch "
            'run. Watch the held-out images: monitor="val_accuracy"'
        )
    if callback.monitor != "val_accuracy":
        raise Mistake(
            f'the callback watches {callback.monitor!r}; fit\'s logs name the validation accuracy "val_accuracy"'
        )
    if callback.monitor_op is not None and callback.monitor_op(0.0, 1.0):
        raise Mistake(
            f"on a run whose validation accuracy rose from {_VAL_ACCURACY[0]:.2f} to "
            f"{_VAL_ACCURACY[best]:.2f} after epoch {best + 1}, the callback kept epoch {restored + 1} as "
            f'the best and stopped after epoch {stopped + 1}: mode="min" treats a falling quantity as '
            'better. An accuracy must go up: mode="max"'
        )
    if not callback.restore_best_weights:
        raise Mistake(
            f"it stopped after epoch {stopped + 1}, but the model keeps that epoch's weights, not those of "
            f"the best epoch ({best + 1}): add restore_best_weights=True"
        )
    if (stopped, restored) != (right_stop, best):
        raise Mistake(
            f"on the test run it stopped after epoch {stopped + 1} with the weights of epoch "
            f"{restored + 1}; with patience {patience} it should stop after epoch {right_stop + 1} "
            f"and go back to epoch {best + 1}, the best validation accuracy"
        )
    mode = (
        ""
        if callback.mode == "max"
        else f' (mode="{callback.mode}" worked because the model compiled an accuracy metric, whose direction '
        'Keras knows; mode="max" says it outright)'
    )
    return (
        f"on a run whose validation accuracy reaches {_VAL_ACCURACY[best]:.2f} after epoch {best + 1} and then "
        f"does not beat it for {patience} epochs, it stopped after epoch {stopped + 1} and restored epoch "
        f"{best + 1}'s weights{mode}"
    )


EXERCISES = (
    Exercise(
        "07.1",
        "the L2 penalty of a model",
        "l2_penalty",
        check_l2_penalty,
        hints=(
            "Every Dense layer has a kernel (layer.kernel, its connection weights) and a bias (layer.bias); "
            "the penalty takes the kernels only.",
            "For one layer: lam * np.sum(np.asarray(layer.kernel) ** 2). Add that up over model.layers.",
            "return lam * sum(np.sum(np.asarray(layer.kernel) ** 2) for layer in model.layers)",
        ),
        kind="code",
    ),
    Exercise(
        "07.2",
        "the gradient of the L2 penalty",
        "l2_gradient",
        check_l2_gradient,
        hints=(
            "Differentiate λw² with respect to one weight w; the other weights' terms do not depend on it.",
            "The derivative of w² is 2w.",
            "return 2 * lam * w",
        ),
        kind="code",
    ),
    Exercise(
        "07.3",
        "the gradient of the L1 penalty",
        "l1_gradient",
        check_l1_gradient,
        hints=(
            "The slope of |w| is +1 where w > 0 and −1 where w < 0; at 0, take 0.",
            "np.sign(w) gives exactly that, element by element.",
            "return lam * np.sign(w)",
        ),
        kind="code",
    ),
    Exercise(
        "07.4",
        "early stopping on the validation accuracy",
        "accuracy_early_stopping",
        check_accuracy_early_stopping,
        hints=(
            "keras.callbacks.EarlyStopping takes monitor, mode, patience and restore_best_weights.",
            'fit names the validation accuracy "val_accuracy"; an accuracy must go up, so mode="max".',
            'return keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", patience=patience, '
            "restore_best_weights=True)",
        ),
        kind="code",
    ),
    Choice(
        "07.5",
        "which penalty makes a network sparse",
        "answer_07_5",
        options={
            "a": (
                "L2, because its gradient 2λw pulls the large weights back hardest",
                "it does pull the large weights hardest, but its pull fades as the weight shrinks: a weight of "
                "0.001 feels 2λ × 0.001, almost nothing, so it ends small but not zero. In the comparison above, "
                "fewer of L2's weights end near zero than of L1's or elastic net's.",
            ),
            "b": (
                "L1, because its gradient λ·sign(w) pulls a weight of 0.001 as hard as a weight of 1",
                "the pull does not fade as the weight shrinks, so a weight the data does not defend is pushed all "
                "the way to zero, where the gradient steps keep it hovering close to zero. With the default "
                "parameters, most of the L1 run's weights end within NEAR_ZERO of 0.",
            ),
            "c": (
                "elastic net with ρ = 0, because it combines both penalties",
                "with ρ = 0 the L1 share is zero: elastic net is then exactly the L2 penalty, which shrinks weights "
                "without zeroing them. It takes some L1 (ρ > 0) to make weights zero.",
            ),
            "d": (
                "an L1 activity regularizer on the hidden layers, because it penalizes the layer with an L1 norm",
                "it penalizes the layer's outputs, not its weights: the notebook's activity run silences most of "
                "the first layer's outputs while its weights stay dense, with hardly any near zero.",
            ),
        },
        right="b",
        hints=(
            "Compare the pull each penalty's gradient puts on a weight of 0.001 with the pull on a weight of 1.",
            "A pull that fades as the weight shrinks never quite gets it to zero.",
        ),
    ),
)
