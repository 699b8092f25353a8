"""Seconds per epoch of the book's network on every Keras 3 path: backend x compile options.

Each path trains the book's 784-128-128-10 net (dropout 0.3, Adam, batch 128,
48,000 images, validation after every epoch) in a fresh Python process, because
the Keras backend is chosen once per process (``KERAS_BACKEND``). The paths run
one after the other within a round and the rounds alternate their order, so a
machine that slows down affects every path; each path's ratio to plain
TensorFlow ``model.fit`` is taken within a round and its median reported.
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The option the notebooks add to the book's lines: 64 batches per call into the backend
#: (``compile``), ``helpers.core.training.STEPS_PER_EXECUTION`` (a test keeps the two equal; this
#: module does not import Keras before it has chosen the backend).
NOTEBOOKS_COMPILE = {"steps_per_execution": 64}
NOTEBOOKS_FIT = {}
NOTEBOOKS = ", ".join(f"{name}={value}" for name, value in {**NOTEBOOKS_COMPILE, **NOTEBOOKS_FIT}.items())

#: name -> (backend, compile options, fit options, environment). The first is the reference: the book's
#: plain fit. XLA's CPU runtime is chosen by an environment variable, read once when XLA starts.
PATHS = {
    "tensorflow, plain fit": ("tensorflow", {}, {}, {}),
    f"tensorflow, {NOTEBOOKS}": ("tensorflow", NOTEBOOKS_COMPILE, NOTEBOOKS_FIT, {}),
    f"tensorflow, {NOTEBOOKS}, jit_compile": (
        "tensorflow",
        {**NOTEBOOKS_COMPILE, "jit_compile": True},
        NOTEBOOKS_FIT,
        {},
    ),
    "jax, plain fit": ("jax", {}, {}, {}),
    f"jax, {NOTEBOOKS}": ("jax", NOTEBOOKS_COMPILE, NOTEBOOKS_FIT, {}),
    f"jax, {NOTEBOOKS}, XLA's older CPU runtime": (
        "jax",
        NOTEBOOKS_COMPILE,
        NOTEBOOKS_FIT,
        {"XLA_FLAGS": "--xla_cpu_use_thunk_runtime=false"},
    ),
}
REFERENCE = "tensorflow, plain fit"

#: The training a path runs, as the notebooks write it (run with ``python -c``).
SCRIPT = r"""
import json, sys
import keras
from helpers.core import data, training

options, fit_options = json.loads(sys.argv[1]), json.loads(sys.argv[2])
epochs, seed = int(sys.argv[3]), int(sys.argv[4])
(x_train, y_train), (x_test, y_test) = data.load_mnist()
X_train = x_train.reshape(-1, 784).astype("float32") / 255
X_test = x_test.reshape(-1, 784).astype("float32") / 255
Y_train, Y_test = keras.utils.to_categorical(y_train, 10), keras.utils.to_categorical(y_test, 10)

keras.utils.set_random_seed(seed)
model = keras.Sequential([
    keras.Input(shape=(784,)),
    keras.layers.Dense(128, activation="relu"), keras.layers.Dropout(0.3),
    keras.layers.Dense(128, activation="relu"), keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(), metrics=["accuracy"],
              **options)
clock = training.EpochTimer()
model.fit(X_train, Y_train, batch_size=128, epochs=epochs, validation_split=0.2, verbose=0,
          callbacks=[clock], **fit_options)
loss, accuracy = model.evaluate(X_test, Y_test, verbose=0)
print("RESULT " + json.dumps({"backend": keras.backend.backend(), "seconds": clock.seconds,
                              "test_accuracy": float(accuracy)}))
"""


def run_path(name, epochs, seed):
    """Train one path in a fresh process; its per-epoch seconds and test accuracy."""
    backend, options, fit_options, variables = PATHS[name]
    environment = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "2", **variables}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(options), json.dumps(fit_options), str(epochs), str(seed)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    if result.returncode or not lines:
        return {"error": (result.stderr or result.stdout)[-1500:]}
    figures = json.loads(lines[-1][len("RESULT ") :])
    figures["epoch_seconds"] = statistics.median(figures["seconds"][1:] or figures["seconds"])
    figures["first_epoch_seconds"] = figures["seconds"][0]
    return figures


def run(epochs=6, rounds=2, log=print):
    """Every path, ``rounds`` times; medians and ratios to plain TensorFlow fit (see module docstring)."""
    if epochs < 2:
        raise ValueError("epochs must be at least 2: epoch 1 includes tracing or compiling")
    names = list(PATHS)
    runs = {name: [] for name in names}
    for round_ in range(rounds):
        for name in names if round_ % 2 == 0 else names[::-1]:
            figures = run_path(name, epochs, round_)
            runs[name].append(figures)
            shown = (
                f"{figures['epoch_seconds']:.3f} s/epoch, first {figures['first_epoch_seconds']:.1f} s, "
                f"test {figures['test_accuracy']:.4f}"
                if "error" not in figures
                else "failed: " + figures["error"].strip().splitlines()[-1]
            )
            log(f"  backends: round {round_ + 1}/{rounds} {name}: {shown}")
    return summarize(runs, epochs, rounds)


def summarize(runs, epochs, rounds):
    """Per path: median s/epoch, first epoch, accuracy, and the median within-round ratio to the reference."""
    reference = runs[REFERENCE]
    paths = {}
    for name, figures in runs.items():
        good = [(ref, run) for ref, run in zip(reference, figures) if "error" not in run and "error" not in ref]
        if not good:
            paths[name] = {"error": next((run["error"] for run in figures if "error" in run), "no run")}
            continue
        paths[name] = {
            "backend": PATHS[name][0],
            "options": PATHS[name][1],
            "fit_options": PATHS[name][2],
            "environment": PATHS[name][3],
            "epoch_seconds": statistics.median(run["epoch_seconds"] for _, run in good),
            "first_epoch_seconds": statistics.median(run["first_epoch_seconds"] for _, run in good),
            "test_accuracy": statistics.fmean(run["test_accuracy"] for _, run in good),
            "speedup": statistics.median(ref["epoch_seconds"] / run["epoch_seconds"] for ref, run in good),
            "accuracy_difference_points": max(
                100 * abs(ref["test_accuracy"] - run["test_accuracy"]) for ref, run in good
            ),
        }
    fastest = min(
        (name for name in paths if "speedup" in paths[name]),
        key=lambda name: paths[name]["epoch_seconds"],
        default=None,
    )
    return {"epochs": epochs, "rounds": rounds, "reference": REFERENCE, "paths": paths, "fastest": fastest}
