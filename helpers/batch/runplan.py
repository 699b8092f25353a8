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
expanded by :func:`helpers.core.tables.expand_grid`, the last name varying fastest);
a variant's values override ``fixed``.

:func:`load_plan` reads a plan and checks it in full (:mod:`helpers.batch.plan_file`)
before anything runs; each problem is one line that names the file, the key and
what is wrong (:class:`PlanError`).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.batch import plan_file, strict_yaml

# The same expansion as a notebook's grid search, so both order their runs alike.
from helpers.core.tables import expand_grid

#: Longest run id (a folder name; file systems stop at 255 bytes).
MAX_RUN_ID = 150


class PlanError(ValueError):
    """A run plan that cannot run: one line per problem, each naming the file, the key and the problem.

    Attributes
    ----------
    problems : list of str
        The lines.
    """

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Run:
    """One notebook execution of a plan.

    Attributes
    ----------
    plan : str
        Name of the plan (its file name without ``.yaml``).
    run_id : str
        Unique within the plan, readable, a safe folder name: ``dropout0.3-seed1``.
    notebook : str
        Absolute path of the notebook to execute.
    parameters : dict
        Papermill parameters (without ``METRICS_PATH``, which the runner adds).
    variant : str
        The variant's name, or ``""`` when the plan has none.
    weight : float
        Relative duration (the sum of the plan's ``weight`` parameters, at
        least 1), for the time-left estimate and the default timeout.
    weighted : bool
        True if the plan names a ``weight`` (else ``weight`` is 1 and says nothing).
    """

    plan: str
    run_id: str
    notebook: str
    parameters: dict = field(hash=False)
    variant: str = ""
    weight: float = 1.0
    weighted: bool = False

    def folder(self, results_dir):
        """Where this run keeps its executed notebook, metrics and record.

        Parameters
        ----------
        results_dir : str or Path
            The results folder.

        Returns
        -------
        Path
            ``results_dir/plan/run_id``.
        """
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
    defaults: dict = field(default_factory=dict)  # the notebook's own values

    def runs(self):
        """Every run of the plan, in a stable order (variants, then grid, then seeds).

        Returns
        -------
        list of Run

        Raises
        ------
        PlanError
            If a weight parameter is not a number, or two runs would share a folder.
        """
        runs, problems = [], []
        for variant, overrides in (self.variants or {"": {}}).items():
            for point in expand_grid({}, self.grid):
                for seed in self.seeds or [None]:
                    parameters = {**self.fixed, **overrides, **point}
                    if seed is not None:
                        parameters[plan_file.SEED_PARAMETER] = seed
                    identifier = run_id(variant, point, seed)
                    weight, problem = _weight(parameters, self.weight, self.defaults)
                    if problem and f"{self.path}: weight: {problem}" not in problems:
                        problems.append(f"{self.path}: weight: {problem}")
                    if len(identifier) > MAX_RUN_ID:
                        problems.append(
                            f"{self.path}: grid: the run id {identifier[:40]}... is longer than "
                            f"{MAX_RUN_ID} characters; use variants with short names instead"
                        )
                    runs.append(
                        Run(
                            plan=self.name,
                            run_id=identifier,
                            notebook=str(self.notebook),
                            parameters=parameters,
                            variant=variant,
                            weight=weight,
                            weighted=bool(self.weight),
                        )
                    )
        identifiers = [run.run_id for run in runs]
        duplicated = sorted({name for name in identifiers if identifiers.count(name) > 1})
        if duplicated:
            problems.append(
                f"{self.path}: grid: two runs would share the folder(s) {', '.join(duplicated)}; "
                "make the grid values or variant names distinct"
            )
        if problems:
            raise PlanError(problems)
        return runs


def run_id(variant, point, seed):
    """A folder name for one run: variant, grid values and seed, e.g. ``dropout0.3-seed1``.

    Characters a folder name should not have become ``_``.

    Parameters
    ----------
    variant : str
        The variant's name, or ``""``.
    point : dict
        The grid's values for this run.
    seed : int or None
        The seed, or None when the plan names none.

    Returns
    -------
    str
    """
    parts = [variant] if variant else []
    parts += [f"{name.lower()}{value}" for name, value in point.items()]
    if seed is not None:
        parts.append(f"seed{seed}")
    text = re.sub(r"[^A-Za-z0-9._-]", "_", "-".join(parts) or "run")
    return "_" + text[1:] if text.startswith(".") else text


def _weight(parameters, names, defaults):
    """``(weight, problem)``: the sum of the ``names`` parameters (at least 1), or why it is not a number."""
    if not names:
        return 1.0, None
    total = 0.0
    for name in names:
        value = parameters.get(name, defaults.get(name))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
            return 1.0, (
                f"{name} is {value!r}, not a number >= 0 (the weight names parameters "
                "that grow with a run's duration, such as EPOCHS)"
            )
        total += float(value)
    return max(total, 1.0), None


def load_plan(path):
    """Read a plan file and check it in full against its notebook.

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
        With one line per problem, each naming the file and the key (see
        :func:`helpers.batch.plan_file.check_plan`), or if two runs would share
        a folder.
    """
    path = Path(path)
    try:
        content = strict_yaml.read_yaml(path)
    except strict_yaml.YamlFileError as error:
        raise PlanError(f"{path}: {error}") from error
    values, problems = plan_file.check_plan(path, content)
    if problems:
        raise PlanError(problems)
    plan = RunPlan(name=path.stem, path=path, **values)
    plan.runs()  # raises if a weight is not a number or two runs would share a folder
    return plan
