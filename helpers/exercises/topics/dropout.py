"""Exercises of ``05_dropout``: an inverted-dropout mask, V3 in Keras, and why training starts below validation."""

import numpy as np

from helpers.exercises.exercise import Choice, Exercise, Mistake, call

NOTEBOOK = "05_dropout"


def check_inverted_dropout(inverted_dropout):
    rate = 0.3
    h = np.full(200_000, 2.0)
    before = h.copy()
    out = np.asarray(call(inverted_dropout, h, rate, np.random.default_rng(0)), dtype=float)
    if out.shape != h.shape:
        raise Mistake(f"the result has shape {out.shape}; it must have the shape of h, {h.shape}")
    if not np.array_equal(h, before):
        raise Mistake("your function changed h itself: build a new array (h * mask / (1 - rate)), do not assign into h")
    dropped = np.mean(out == 0)
    kept = np.unique(out[out != 0])
    if abs(dropped - (1 - rate)) < 0.01:
        raise Mistake(
            f"{dropped:.0%} of the units were dropped with rate {rate}: you kept a unit with "
            f"probability {rate}. Keep it when rng.random(h.shape) >= rate (probability 1 - rate)"
        )
    if abs(dropped - rate) > 0.01:
        raise Mistake(f"{dropped:.1%} of the units were dropped with rate {rate}; about {rate:.0%} should be")
    if len(kept) != 1:
        raise Mistake(
            f"the kept units of a constant input should all get the same value; got {len(kept)} "
            f"values such as {kept[:3]}"
        )
    scale = kept[0] / 2.0
    if np.isclose(scale, 1.0):
        raise Mistake(
            "the kept units are not scaled, so the mean falls to 1 - rate of what it was: inverted "
            "dropout divides them by 1 - rate"
        )
    if np.isclose(scale, rate):
        raise Mistake(
            f"the kept units were multiplied by rate ({rate}); inverted dropout divides them by "
            f"1 - rate, that is, multiplies by 1/(1 - rate) = {1 / (1 - rate):.4f}"
        )
    if np.isclose(scale, 1 - rate):
        raise Mistake(
            f"the kept units were multiplied by 1 - rate ({1 - rate}): that is classic dropout's "
            f"scaling at inference. Inverted dropout divides by 1 - rate in training instead"
        )
    if not np.isclose(scale, 1 / (1 - rate)):
        raise Mistake(
            f"the kept units were scaled by {scale:.4f}; inverted dropout scales them by "
            f"1/(1 - rate) = {1 / (1 - rate):.4f}"
        )
    zero_rate = np.asarray(call(inverted_dropout, h, 0.0, np.random.default_rng(1)), dtype=float)
    if not np.array_equal(zero_rate, h):
        raise Mistake("with rate 0 nothing should be dropped or scaled, but the output differs from h")
    return (
        f"{dropped:.1%} of the units dropped at rate {rate}, the others scaled by {scale:.4f}: the mean "
        f"stays {out.mean():.3f} (it was {h.mean():.1f})"
    )


def check_v3(build_v3):
    import keras

    model = call(build_v3, name="build_v3")
    if not isinstance(model, keras.Model):
        raise Mistake(f"build_v3() returned a {type(model).__name__}; it must return the keras.Sequential model")
    layers = [layer for layer in model.layers]
    kinds = [type(layer).__name__ for layer in layers]
    if kinds.count("Dropout") == 0:
        raise Mistake(
            f"the model has no Dropout layer (layers: {kinds}): V3 puts Dropout(0.3) after each hidden Dense layer"
        )
    dense = [layer for layer in layers if isinstance(layer, keras.layers.Dense)]
    if model.inputs is None or tuple(model.inputs[0].shape[1:]) != (784,):
        shape = None if model.inputs is None else tuple(model.inputs[0].shape[1:])
        raise Mistake(
            f"the model takes inputs of shape {shape}; V3 takes the flattened image, (784,): "
            "start with keras.Input(shape=(784,))"
        )
    if kinds and kinds[-1] == "Dropout":
        raise Mistake(
            "the last layer is a Dropout: dropout goes after the hidden layers, never after the output, "
            "whose probabilities must not be zeroed"
        )
    if [layer.units for layer in dense] != [128, 128, 10]:
        raise Mistake(f"the Dense layers have {[layer.units for layer in dense]} units; V3 has 128, 128 and 10")
    activations = [layer.activation.__name__ for layer in dense]
    if activations[-1] != "softmax":
        raise Mistake(
            f"the output layer's activation is {activations[-1]}: it needs softmax, so that the ten "
            "outputs are probabilities for categorical cross-entropy"
        )
    if activations[:2] != ["relu", "relu"]:
        raise Mistake(f"the hidden layers' activations are {activations[:2]}; V3 uses relu")
    rates = [layer.rate for layer in layers if isinstance(layer, keras.layers.Dropout)]
    if len(rates) != 2:
        raise Mistake(f"the model has {len(rates)} Dropout layer(s); V3 has one after each of its two hidden layers")
    if any(np.isclose(rate, 0.7) for rate in rates):
        raise Mistake(
            f"the dropout rates are {rates}: Keras' Dropout(rate) takes the fraction to drop, 0.3, not "
            "the fraction to keep"
        )
    if not np.allclose(rates, 0.3):
        raise Mistake(f"the dropout rates are {rates}; the book's V3 drops 0.3")
    if kinds != ["Dense", "Dropout", "Dense", "Dropout", "Dense"]:
        raise Mistake(f"the layers are {kinds}; V3 is Dense, Dropout, Dense, Dropout, Dense")
    return f"V3 as the book builds it: {' -> '.join(kinds)}, {model.count_params():,} parameters"


EXERCISES = (
    Exercise(
        "05.1",
        "an inverted-dropout mask",
        "inverted_dropout",
        check_inverted_dropout,
        hints=(
            "Draw one random number per unit with rng.random(h.shape) and keep the units whose number is at "
            "least rate: that keeps each with probability 1 - rate.",
            "A boolean mask multiplies like 0 and 1: h * keep zeroes the dropped units.",
            "Divide what is kept by 1 - rate, so the mean signal stays what it was without dropout.",
        ),
        kind="code",
    ),
    Exercise(
        "05.2",
        "V3 in Keras",
        "build_v3",
        check_v3,
        hints=(
            "V3 is V2 with a keras.layers.Dropout(0.3) after each hidden Dense layer.",
            "keras.Sequential([keras.Input(shape=(784,)), Dense(128, relu), Dropout(0.3), Dense(128, relu), "
            "Dropout(0.3), Dense(10, softmax)]).",
        ),
        kind="code",
    ),
    Choice(
        "05.3",
        "why training starts below validation",
        "answer_05_3",
        options={
            "a": (
                "the validation images are easier than the training images",
                "they are not: Keras' validation_split takes the last 20% of the same training set, drawn from "
                "the same digits.",
            ),
            "b": (
                "fit's training accuracy is measured with dropout on, averaged over the epoch while the weights "
                "were still improving; validation is measured after the epoch with dropout off",
                "both effects push the reported training accuracy down; evaluated with the final weights and "
                "dropout off, the training accuracy is above validation (the notebook prints both).",
            ),
            "c": (
                "dropout is also on when Keras computes the validation accuracy, which helps it",
                "Keras turns dropout off outside training: validation and evaluate run with training=False, "
                "and dropout only ever lowers accuracy, it never raises it.",
            ),
            "d": (
                "the network overfits the training images",
                "overfitting shows the other way round: training accuracy above validation, and a validation "
                "loss that turns up.",
            ),
        },
        right="b",
        hints=(
            "Which of the two numbers is computed with dropout switched on?",
            "The training accuracy fit reports is an average over the epoch's batches.",
        ),
    ),
)
