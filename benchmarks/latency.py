"""Live panel latency: from pressing Train to the first epoch drawn.

Measured headless on :func:`helpers.ui.mnist_panels.mlp_panel` with its default
settings (its default live subset of training images): ``panel.train()`` is
what the Train button calls, and the first epoch counts as drawn when
:class:`helpers.figures.training_curves.LiveCurves` has rendered it into the panel's plot
(the PNG a browser would show). The first run is measured in a fresh Python
process that has loaded MNIST and started TensorFlow, as a notebook has by the
time a learner reaches its panel; the later runs follow in the same process:
Train again, then after changing one control at a time.
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (label, control changes) of every run, in order; the first is the session's first run.
PLAN = (
    ("first run", {}),
    ("Train again", {}),
    ("Train again", {}),
    ("Train again", {}),
    ("epochs 3", {"epochs": 3}),
    ("training images 10000", {"train_samples": 10000}),
    ("batch size 64", {"batch_size": 64}),
    ("units 64 (new network)", {"hidden_units": 64}),
    ("units back to 128", {"hidden_units": 128}),
)
SAME_NETWORK = ("Train again",)
NEW_NETWORK = "units 64 (new network)"


def measure(plan=PLAN):
    """Run ``plan`` on one panel in this process; return each run's figures."""
    start = time.perf_counter()
    import keras

    from helpers.core import data
    from helpers.figures import training_curves
    from helpers.ui import mnist_panels

    data.load_mnist()
    keras.utils.set_random_seed(0)
    ready = time.perf_counter() - start
    drawn = []
    original_redraw = training_curves.LiveCurves.redraw

    def redraw(curves):
        began = time.perf_counter()
        original_redraw(curves)
        drawn.append((time.perf_counter(), time.process_time(), time.perf_counter() - began))

    training_curves.LiveCurves.redraw = redraw
    try:
        panel = mnist_panels.mlp_panel()
        runs = []
        for label, changes in plan:
            for name, value in changes.items():
                panel.controls[name].value = value
            drawn.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            numbers = panel.train()
            end = time.perf_counter()
            first = drawn[0] if drawn else None
            runs.append(
                {
                    "label": label,
                    "settings": panel.settings(),
                    "first_epoch_drawn_seconds": None if first is None else first[0] - wall,
                    "first_epoch_drawn_cpu_seconds": None if first is None else first[1] - cpu,
                    "redraw_seconds": None if first is None else first[2],
                    "later_redraw_seconds": (
                        statistics.median(seconds for _, _, seconds in drawn[1:]) if len(drawn) > 1 else None
                    ),
                    "run_seconds": end - wall,
                    "numbers": numbers,
                    "error": None if panel.last_error is None else repr(panel.last_error),
                }
            )
    finally:
        training_curves.LiveCurves.redraw = original_redraw
    return {"start_seconds": ready, "runs": runs, "playground": playground_fluency()}


def playground_fluency(seconds=5.0):
    """The 2-D playground with its defaults, headless: redraws per second and a changed control to screen."""
    from helpers.ui import playground_panel

    panel = playground_panel.PlaygroundPanel(background=False)
    panel.step()  # the session's first compile of the training loop is not what a learner waits for twice
    figures = panel.measure_fluency(seconds=seconds, reset=True)
    figures["change_to_screen_seconds"] = figures["reset_seconds"] + figures["first_step_seconds"]
    return figures


def summarize(measured):
    """First run, median of the repeated runs, the new network's run."""
    runs = measured["runs"]
    again = [run for run in runs[1:] if run["label"] in SAME_NETWORK]
    new = next((run for run in runs if run["label"] == NEW_NETWORK), None)
    later_redraws = [run["later_redraw_seconds"] for run in runs if run.get("later_redraw_seconds")]
    return {
        "first_run": runs[0],
        "later_same_network": {
            "runs": len(again),
            "first_epoch_drawn_seconds": statistics.median(r["first_epoch_drawn_seconds"] for r in again),
            "first_epoch_drawn_cpu_seconds": statistics.median(r["first_epoch_drawn_cpu_seconds"] for r in again),
        },
        "new_network": new,
        "redraw_seconds": statistics.median(r["redraw_seconds"] for r in runs if r["redraw_seconds"]),
        "later_redraw_seconds": statistics.median(later_redraws) if later_redraws else None,
        "runs": runs,
        "start_seconds": measured["start_seconds"],
        "playground": measured.get("playground"),
    }


def run(log=print):
    """Measure in a fresh process (so the first run is the session's first) and summarize."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.latency"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"latency measurement failed:\n{result.stderr[-3000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    for figures in measured["runs"]:
        log(
            f"  latency: {figures['label']:24s} first epoch drawn after "
            f"{figures['first_epoch_drawn_seconds']:.2f} s (CPU {figures['first_epoch_drawn_cpu_seconds']:.2f} s), "
            f"run {figures['run_seconds']:.2f} s"
        )
    summary = summarize(measured)
    summary["seconds"] = time.perf_counter() - start
    return summary


if __name__ == "__main__":
    print(json.dumps(measure()))
