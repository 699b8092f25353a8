"""Run plans: small YAML files that describe a batch of notebook runs.

A plan names one notebook, the parameters every run shares, a grid of values
to try, optional named variants and the seeds to repeat each setting with::

    # plans/dropout.yaml: test accuracy against the dropout rate (Adam, 20 epochs)
    notebook: ../notebooks/04_mlp.ipynb      # relative to this file
    fixed: {OPTIMIZER: adam, LEARNING_RATE: 0.001, EPOCHS: 20, SIMPLE_EPOCHS: 0}
    grid: {DROPOUT: [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]}
    seeds: [0, 1, 2]
    weight: EPOCHS                           # a run's duration grows with this

Every combination of ``variants x grid x seeds`` is one :class:`Run` (the grid is
expanded by :func:`helpers.core.grid.expand_grid`, the last name varying fastest). A plan is
checked against the notebook's ``parameters`` cell before anything runs, so a
misspelt parameter fails in a second, not after an hour of training.
"""

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# The same expansion as a notebook's grid search, so both order their runs alike.
from helpers.core.grid import expand_grid

#: Keys a plan file may have.
PLAN_KEYS = {"notebook", "description", "fixed", "grid", "variants", "seeds", "weight"}
#: Parameters the runner sets itself: a plan may not set them.
RUNNER_PARAMETERS = ("METRICS_PATH",)
#: The parameter that receives each seed.
SEED_PARAMETER = "SEED"


class PlanError(ValueError):
    """A run plan that cannot run; the message names the file and the problem."""


@dataclass(frozen=True)
class Run:
    """One notebook execution of a plan.

    Attributes
    ----------
    plan : str
        Name of the plan (its file name without ``.yaml``).
    run_id : str
        Unique within the plan, readable: ``dropout0.3-seed1``.
    notebook : str
        Absolute path of the notebook to execute.
    parameters : dict
        Papermill parameters (without ``METRICS_PATH``, which the runner adds).
    variant : str
        The variant's name, or ``""`` when the plan has none.
    weight : float
        Relative duration, for the progress bar's time-left estimate.
    """

    plan: str
    run_id: str
    notebook: str
    parameters: dict = field(hash=False)
    variant: str = ""
    weight: float = 1.0

    def folder(self, results_dir):
        """Where this run keeps its executed notebook, metrics and record."""
        return Path(results_dir) / self.plan / self.run_id


@dataclass
class RunPlan:
    """A plan file, read and checked."""

    name: str
    path: Path
    notebook: Path
    fixed: dict
    grid: dict
    variants: dict
    seeds: list
    weight: tuple = ()
    description: str = ""

    def runs(self):
        """Every run of the plan, in a stable order (variants, then grid, then seeds)."""
        runs = []
        for variant, overrides in (self.variants or {"": {}}).items():
            for point in expand_grid({}, self.grid):
                for seed in self.seeds or [None]:
                    parameters = {**self.fixed, **overrides, **point}
                    if seed is not None:
                        parameters[SEED_PARAMETER] = seed
                    runs.append(Run(
                        plan=self.name,
                        run_id=run_id(variant, point, seed),
                        notebook=str(self.notebook),
                        parameters=parameters,
                        variant=variant,
                        weight=_weight(parameters, self.weight),
                    ))
        duplicated = {run.run_id for run in runs if sum(r.run_id == run.run_id for r in runs) > 1}
        if duplicated:
            raise PlanError(f"{self.path}: two runs would share the folder(s) {sorted(duplicated)}; "
                            "make the grid values or variant names distinct")
        return runs


def run_id(variant, point, seed):
    """A folder name for one run: variant, grid values and seed, e.g. ``dropout0.3-seed1``."""
    parts = [variant] if variant else []
    parts += [f"{name.lower()}{value}" for name, value in point.items()]
    if seed is not None:
        parts.append(f"seed{seed}")
    text = "-".join(parts) or "run"
    return re.sub(r"[^A-Za-z0-9_.=+-]", "_", text)


def _weight(parameters, names):
    if not names:
        return 1.0
    total = sum(float(parameters.get(name) or 0) for name in names)
    return max(total, 1.0)


def notebook_parameters(path):
    """Names and default values of a notebook's ``parameters`` cell.

    Parameters
    ----------
    path : str or Path
        A ``.ipynb`` file with one code cell tagged ``parameters``.

    Returns
    -------
    dict
        Parameter name -> default value (``None`` where the value is not a literal).

    Raises
    ------
    PlanError
        If the file is not a notebook or has no ``parameters`` cell.
    """
    path = Path(path)
    try:
        notebook = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise PlanError(f"cannot read notebook {path}: {error}") from error
    cells = [cell for cell in notebook.get("cells", [])
             if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", [])]
    if not cells:
        raise PlanError(f"{path.name} has no cell tagged 'parameters', so papermill cannot set any")
    source = "".join(cells[0]["source"]) if isinstance(cells[0]["source"], list) else cells[0]["source"]
    values = {}
    for statement in ast.parse(source).body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign):
            targets, value = [statement.target], statement.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    values[target.id] = ast.literal_eval(value) if value is not None else None
                except ValueError:
                    values[target.id] = None
    return values


def load_plan(path):
    """Read a plan file and check it against its notebook.

    Parameters
    ----------
    path : str or Path
        The YAML file; its name (without ``.yaml``) names the plan and its
        results folder.

    Returns
    -------
    RunPlan

    Raises
    ------
    PlanError
        Listing every problem found: unknown keys, a missing notebook, a
        parameter the notebook does not have, a grid value that is not a list,
        seeds that are not whole numbers, ...
    """
    path = Path(path)
    try:
        content = yaml.safe_load(path.read_text())
    except OSError as error:
        raise PlanError(f"cannot read run plan {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise PlanError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(content, dict):
        raise PlanError(f"{path}: a run plan is a mapping with at least 'notebook:'")

    problems = []
    unknown = set(content) - PLAN_KEYS
    if unknown:
        problems.append(f"unknown key(s) {sorted(unknown)}; a plan may have {sorted(PLAN_KEYS)}")

    notebook = _resolve_notebook(path, content.get("notebook"), problems)
    fixed = _mapping(content, "fixed", problems)
    grid = _mapping(content, "grid", problems)
    variants = _mapping(content, "variants", problems)
    for name, values in grid.items():
        if not isinstance(values, list) or not values:
            problems.append(f"grid: {name} must be a non-empty list of values, got {values!r} "
                            f"(write {name}: [{values!r}] for a single value, or move it to 'fixed')")
    for name, overrides in variants.items():
        if not isinstance(overrides, dict):
            problems.append(f"variants: {name} must map parameter names to values, got {overrides!r}")
    seeds = content.get("seeds", [])
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        seeds = list(range(seeds))  # `seeds: 3` means seeds 0, 1, 2
    if not isinstance(seeds, list) or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds):
        problems.append(f"seeds must be a list of whole numbers (or how many), got {content.get('seeds')!r}")
        seeds = []
    if len(set(seeds)) != len(seeds):
        problems.append(f"seeds are repeated: {seeds}")
    weight = content.get("weight") or ()
    weight = (weight,) if isinstance(weight, str) else tuple(weight)

    if notebook is not None:
        known = notebook_parameters(notebook)
        used = {("fixed", name) for name in fixed} | {("grid", name) for name in grid}
        used |= {(f"variants: {variant}", name) for variant, overrides in variants.items()
                 if isinstance(overrides, dict) for name in overrides}
        if seeds:
            used.add(("seeds", SEED_PARAMETER))
        used |= {("weight", name) for name in weight}
        for where, name in sorted(used):
            if name in RUNNER_PARAMETERS:
                problems.append(f"{where}: {name} is set by the runner (it points into the results folder)")
            elif name not in known:
                problems.append(f"{where}: {notebook.name} has no parameter {name!r}; "
                                f"its parameters are {', '.join(known)}")
        for name in RUNNER_PARAMETERS:
            if name not in known:
                problems.append(f"{notebook.name} has no {name} parameter: the runner needs it "
                                "to collect each run's metrics JSON")
        overlap = set(grid) & (set(fixed) | {SEED_PARAMETER if seeds else None})
        if overlap:
            problems.append(f"{sorted(overlap)} set both in the grid and in fixed/seeds")

    if problems:
        raise PlanError(f"run plan {path} cannot run:\n  - " + "\n  - ".join(problems))
    plan = RunPlan(name=path.stem, path=path, notebook=notebook, fixed=fixed, grid=grid,
                   variants=variants, seeds=seeds, weight=weight,
                   description=str(content.get("description", "")))
    plan.runs()  # raises if two runs would share a folder
    return plan


def _resolve_notebook(plan_path, value, problems):
    if not value:
        problems.append("'notebook:' is missing (the path of the notebook to run, relative to the plan)")
        return None
    notebook = Path(value)
    if not notebook.is_absolute():
        notebook = plan_path.resolve().parent / notebook
    notebook = notebook.resolve()
    if not notebook.is_file():
        problems.append(f"notebook {value!r} not found (looked for {notebook}; "
                        "a relative path is taken from the plan's folder)")
        return None
    return notebook


def _mapping(content, key, problems):
    value = content.get(key) or {}
    if not isinstance(value, dict):
        problems.append(f"{key} must map parameter names to values, got {value!r}")
        return {}
    return value
