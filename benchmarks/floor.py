"""The arithmetic floor of an epoch: its matrix-product FLOPs over this machine's throughput.

Throughput is measured on the very shapes one training step multiplies (batch
128 through 784-128-128-10, forward and backward; see
:func:`benchmarks.flops.step_matmul_shapes`), three ways: NumPy's BLAS, a
TensorFlow graph and XLA, each on one thread in a fresh process. Each is timed
in CPU seconds, the fastest of many short timings, so other programs sharing
the cores do not count. The best single-core figure times the number of cores
is the machine's throughput (every core busy, perfect scaling): no framework
can train the epoch faster than its matrix products take at that rate.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import flops

ROOT = Path(__file__).resolve().parents[1]

LAYERS = (784, 128, 128, 10)
BATCH = 128
ONE_THREAD = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
}


def best_cpu_seconds(function, repeats=200, number=10):
    """Fewest CPU seconds of one call of ``function``, over ``repeats`` timings of ``number`` calls."""
    function()
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(number):
            function()
        best = min(best, (time.process_time() - start) / number)
    return best


def numpy_step_seconds(shapes):
    """One step's matrix products with NumPy's BLAS."""
    import numpy as np

    rng = np.random.default_rng(0)
    operands = [
        (rng.random((m, k), dtype=np.float32), rng.random((k, n), dtype=np.float32), np.empty((m, n), dtype=np.float32))
        for m, k, n in shapes
    ]

    def step():
        for a, b, out in operands:
            np.matmul(a, b, out=out)

    return best_cpu_seconds(step)


def tensorflow_step_seconds(jit_compile, steps=20):
    """One step's forward and backward products in TensorFlow, ``steps`` steps per call.

    The weights are updated every step (a tiny SGD step), so no product can be
    hoisted out of the loop; the update adds a little elementwise work, so this
    slightly understates the throughput of the products alone.
    """
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = tf.constant(rng.random((BATCH, LAYERS[0]), dtype=np.float32))
    weights = [tf.constant(rng.standard_normal((a, b)).astype(np.float32) * 0.05) for a, b in flops.layer_pairs(LAYERS)]

    @tf.function(jit_compile=jit_compile)
    def run(w1, w2, w3):
        def body(i, w1, w2, w3):
            h1 = tf.matmul(x, w1)
            h2 = tf.matmul(h1, w2)
            d3 = tf.matmul(h2, w3)  # stands in for the output gradient
            g3 = tf.matmul(h2, d3, transpose_a=True)
            d2 = tf.matmul(d3, w3, transpose_b=True)
            g2 = tf.matmul(h1, d2, transpose_a=True)
            d1 = tf.matmul(d2, w2, transpose_b=True)
            g1 = tf.matmul(x, d1, transpose_a=True)
            return i + 1, w1 - 1e-9 * g1, w2 - 1e-9 * g2, w3 - 1e-9 * g3

        return tf.while_loop(lambda i, *_: i < steps, body, (0, w1, w2, w3))[1:]

    return best_cpu_seconds(lambda: [w.numpy() for w in run(*weights)], repeats=100, number=1) / steps


def measure_one_core():
    """CPU seconds of one step's products, per library (run with one thread, see :func:`run`)."""
    shapes = flops.step_matmul_shapes(LAYERS, BATCH)
    return {
        "numpy": numpy_step_seconds(shapes),
        "tensorflow": tensorflow_step_seconds(jit_compile=False),
        "xla": tensorflow_step_seconds(jit_compile=True),
    }


def cores():
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def run(train_images=48000, validation_images=12000, log=print):
    """Measure one core's throughput in a fresh one-thread process; return the floor as a dict."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.floor"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **ONE_THREAD},
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"throughput measurement failed:\n{result.stderr[-3000:]}")
    step_seconds = json.loads(result.stdout.strip().splitlines()[-1])
    step_flops = flops.shapes_flops(flops.step_matmul_shapes(LAYERS, BATCH))
    per_core = {name: step_flops / seconds / 1e9 for name, seconds in step_seconds.items()}
    best_library = max(per_core, key=per_core.get)
    machine = per_core[best_library] * cores()
    epoch = flops.epoch_flops(LAYERS, train_images, validation_images)
    for name, value in per_core.items():
        log(f"  floor: {name:10s} {value:6.1f} GFLOP/s per core on one step's products")
    return {
        "layers": list(LAYERS),
        "batch": BATCH,
        "step_flops": step_flops,
        "flops": epoch,
        "per_core_gflops": per_core,
        "cores": cores(),
        "best_library": best_library,
        "best_gflops": machine,
        "floor_seconds": epoch["total"] / (machine * 1e9),
        "training_floor_seconds": epoch["training"] / (machine * 1e9),
        "seconds": time.perf_counter() - start,
    }


if __name__ == "__main__":
    print(json.dumps(measure_one_core()))
