"""The website's kernel-free twins of three panels, from the results of the site's batch plans.

A twin is a slider in plain HTML (site/_static/twins.js) that swaps between figures and numbers of real
runs computed in advance. Its runs are a batch plan (``plans/site_*.yaml``), run once by::

    python -m helpers.batch plans/site_hidden.yaml plans/site_dropout.yaml plans/site_optimizer.yaml \\
        --jobs 2 --results build/site-grids
    python scripts/site_twins.py build/site-grids

which writes, for each plan, ``data/site/twins/<name>/`` (committed, so ``make site`` never retrains): each
run's training curves as the notebook drew them (PNG, taken from the executed notebook) and ``twin.json``
(the sliders, and each run's picture, text alternative and numbers).
"""

import argparse
import base64
import json
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
TWINS_DIR = ROOT / "data" / "site" / "twins"
PNG_IN_HTML = re.compile(r'src="data:image/png;base64,([^"]+)"')

#: Twin name -> its plan, the page and panel it follows, its title, its sliders' labels and first values.
TWINS = {
    "hidden": {
        "plan": "plans/site_hidden.yaml",
        "notebook": "04_mlp",
        "after": "mnist_panels.mlp_panel(",
        "title": "Hidden layers and units, without a kernel",
        "labels": {"HIDDEN_LAYERS": "hidden layers", "HIDDEN_UNITS": "units per layer"},
        "start": {"HIDDEN_LAYERS": 2, "HIDDEN_UNITS": 128},
    },
    "dropout": {
        "plan": "plans/site_dropout.yaml",
        "notebook": "05_dropout",
        "after": "mnist_panels.dropout_panel(",
        "title": "The dropout rate, without a kernel",
        "labels": {"DROPOUT": "dropout rate"},
        "start": {"DROPOUT": 0.3},
    },
    "optimizer": {
        "plan": "plans/site_optimizer.yaml",
        "notebook": "06_optimizers",
        "after": "mnist_panels.optimizer_panel(",
        "title": "Optimizer and learning rate, without a kernel",
        "labels": {"OPTIMIZER": "optimizer", "LEARNING_RATE": "learning rate"},
        "start": {"OPTIMIZER": "adam", "LEARNING_RATE": 0.001},
    },
}


def curves_picture(executed):
    """The last training-curves figure an executed notebook drew: its PNG bytes and text alternative.

    Parameters
    ----------
    executed : nbformat.NotebookNode
        A notebook executed by the batch runner.

    Returns
    -------
    (bytes, str)

    Raises
    ------
    ValueError
        If no output is a training-curves figure (helpers.figures.training_curves.LiveCurves).
    """
    found = None
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text, markup = data.get("text/plain", ""), data.get("text/html", "")
            match = PNG_IN_HTML.search(markup)
            if text.startswith("training curves, ") and match:
                found = (base64.b64decode(match[1]), text)
    if found is None:
        raise ValueError(
            "no training-curves figure (an output whose text starts 'training curves, ') in the executed notebook"
        )
    return found


def numbers_line(metrics):
    """One run's final numbers as the twin prints them under its picture."""
    return (
        f"test accuracy {metrics['test_accuracy']:.2%} · validation {metrics['val_accuracy']:.2%} · "
        f"training {metrics['train_accuracy']:.2%} · test loss {metrics['test_loss']:.3f}"
    )


#: The words for the plans' parameters in a twin's description; other parameters are not shown.
PARAMETER_WORDS = {
    "HIDDEN_LAYERS": "hidden layers",
    "HIDDEN_UNITS": "units per layer",
    "ACTIVATION": "activation",
    "DROPOUT": "dropout",
    "OPTIMIZER": "optimizer",
    "LEARNING_RATE": "learning rate",
    "EPOCHS": "epochs",
    "BATCH_SIZE": "batch size",
    "TRAIN_SAMPLES": "MNIST training images",
}


def about_line(plan, plan_path):
    """What every run of the twin shares, from the plan's fixed parameters and seeds."""
    fixed = plan.get("fixed", {})
    shared = ", ".join(f"{PARAMETER_WORDS[name]} {value}" for name, value in fixed.items() if name in PARAMETER_WORDS)
    seeds = ", ".join(str(seed) for seed in plan.get("seeds", [0]))
    return (
        f"Each position is a real run computed in advance by the batch plan {plan_path} "
        f"({shared}, 20% of the images held out for validation; seed {seeds}). They are shorter than the "
        "notebook's own runs, so their accuracy is lower."
    )


def build_twin(name, config, results_dir, out_dir=TWINS_DIR):
    """Write one twin's pictures and ``twin.json`` from its plan's results.

    Parameters
    ----------
    name : str
        A key of :data:`TWINS`.
    config : dict
        Its entry there.
    results_dir : path-like
        The batch results folder (``--results`` of ``python -m helpers.batch``).
    out_dir : path-like
        Where twins go (``data/site/twins``).

    Returns
    -------
    pathlib.Path
        The ``twin.json`` written.
    """
    plan_path = ROOT / config["plan"]
    plan = yaml.safe_load(plan_path.read_text())
    grid = plan["grid"]
    plan_results = Path(results_dir) / plan_path.stem
    target = Path(out_dir) / name
    target.mkdir(parents=True, exist_ok=True)
    runs = []
    for folder in sorted(plan_results.iterdir()) if plan_results.is_dir() else []:
        record_path, metrics_path = folder / "run.json", folder / "metrics.json"
        if not (record_path.exists() and metrics_path.exists()):
            continue
        record, metrics = json.loads(record_path.read_text()), json.loads(metrics_path.read_text())
        if record.get("status") != "ok":
            continue
        executed = nbformat.read(folder / Path(record["notebook"]).name, as_version=4)
        png, description = curves_picture(executed)
        image = f"{folder.name}.png"
        (target / image).write_bytes(png)
        runs.append(
            {
                "values": {key: record["parameters"][key] for key in grid},
                "image": image,
                "description": description,
                "numbers": numbers_line(metrics),
            }
        )
    expected = 1
    for values in grid.values():
        expected *= len(values)
    if len(runs) != expected:
        raise ValueError(
            f"{plan_path.name}: {len(runs)} finished runs in {plan_results}, the grid has "
            f"{expected}: run the plan to the end first"
        )
    runs.sort(key=lambda run: [grid[key].index(run["values"][key]) for key in grid])
    start = next(
        index
        for index, run in enumerate(runs)
        if all(run["values"][key] == value for key, value in config["start"].items())
    )
    twin = {
        "start": start,
        "notebook": config["notebook"],
        "after": config["after"],
        "title": config["title"],
        "about": about_line(plan, config["plan"]),
        "plan": config["plan"],
        "dimensions": [{"name": key, "label": config["labels"][key], "values": values} for key, values in grid.items()],
        "runs": runs,
    }
    path = target / "twin.json"
    path.write_text(json.dumps(twin, indent=1) + "\n")
    return path


def main(argv=None):
    """``python scripts/site_twins.py RESULTS_DIR [--out DIR] [--only NAME ...]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="the batch results folder of the plans/site_*.yaml runs")
    parser.add_argument("--out", default=str(TWINS_DIR), help="where the twins go (default data/site/twins)")
    parser.add_argument("--only", nargs="+", choices=sorted(TWINS), help="these twins only")
    args = parser.parse_args(argv)
    for name in args.only or sorted(TWINS):
        try:
            print(build_twin(name, TWINS[name], args.results, args.out))
        except (OSError, ValueError) as error:
            print(f"twin {name}: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
