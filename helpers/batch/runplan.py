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

A plan is checked in full when it is read, before anything runs, so a mistake
costs a second, not an hour of training: its keys and their shapes, every
parameter name against the notebook's ``parameters`` cell, and every value
against the rules the notebook checks its parameters with (the dict given to
``checks.check_parameters``; a notebook without rules gets its names checked
only). YAML reads ``1e-3`` as a string, so ``LEARNING_RATE: 1e-3`` is refused
here, not by every run an hour later. Each problem is one line that names the
file, the key and what is wrong (:class:`PlanError`).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.batch import strict_yaml
from helpers.core import checks, parameters as notebook_parameters

# The same expansion as a notebook's grid search, so both order their runs alike.
from helpers.core.tables import expand_grid

#: Keys a plan file may have.
PLAN_KEYS = ("notebook", "description", "fixed", "grid", "variants", "seeds", "weight")
#: Parameters the runner sets itself: a plan may not set them.
RUNNER_PARAMETERS = ("METRICS_PATH",)
#: The parameter that receives each seed.
SEED_PARAMETER = "SEED"
#: Plan names, variant names and run ids name folders: these characters only, not starting with '.'.
SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+")
SAFE_NAME_WORDS = "letters, digits, '.', '_' and '-', not starting with '.'"
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


def is_safe_name(text):
    """Whether ``text`` can name a folder of the results: see :data:`SAFE_NAME`.

    Parameters
    ----------
    text : object

    Returns
    -------
    bool
    """
    return isinstance(text, str) and bool(SAFE_NAME.fullmatch(text)) and not text.startswith(".")


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
                        parameters[SEED_PARAMETER] = seed
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


def _short(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind(value):
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "True/False",
        type(None): "nothing",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


class _Problems:
    """The problems of one plan file, each one line: ``FILE: KEY: problem``."""

    def __init__(self, path):
        self.path, self.lines = path, []

    def add(self, key, text):
        line = f"{self.path}: {key}: {text}" if key else f"{self.path}: {text}"
        line = " ".join(line.split())  # one line, whatever the text held
        if line not in self.lines:
            self.lines.append(line)


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
        With one line per problem, each naming the file and the key: unknown
        keys; a notebook that is not one path, is missing, or has no
        ``parameters`` cell; keys of the wrong shape (``fixed``, ``grid``,
        ``variants`` mappings; grid values non-empty lists; variant names safe
        folder names; ``seeds`` non-negative whole numbers; ``weight``
        parameter names); a parameter the notebook does not have; a value its
        rule refuses; a name set both by a variant or ``fixed`` and by the grid.
    """
    path = Path(path)
    problems = _Problems(path)
    content = _read_yaml(path)
    if not isinstance(content, dict):
        raise PlanError(f"{path}: a run plan is a mapping with at least 'notebook:', got {_kind(content)}")
    if not is_safe_name(path.stem):
        problems.add("", f"the plan's file name {path.stem!r} names its results folder: use {SAFE_NAME_WORDS}")

    unknown = [key for key in content if key not in PLAN_KEYS]
    for key in unknown:
        problems.add(
            key if isinstance(key, str) else _short(key), f"unknown key; a plan may have {', '.join(PLAN_KEYS)}"
        )
    description = content.get("description", "")
    if not isinstance(description, str):
        problems.add("description", f"must be text, got {_kind(description)} {_short(description)}")

    notebook = _resolve_notebook(path, content.get("notebook"), problems)
    fixed = _names_to_values(content, "fixed", problems)
    grid = _names_to_values(content, "grid", problems)
    for name, values in list(grid.items()):
        if not isinstance(values, list) or not values:
            problems.add(
                "grid",
                f"{name} must be a non-empty list of values, got {_short(values)} "
                f"(write {name}: [{values!r}] for a single value, or move it to 'fixed')",
            )
            del grid[name]
    variants = _variants(content, problems)
    seeds = _seeds(content, problems)
    weight = _weight_names(content, problems)

    # A name set in two places: the grid would silently win over fixed or a variant.
    for name in sorted(set(grid) & set(fixed)):
        problems.add(f"grid: {name}", "also set in 'fixed'; keep each name in one place")
    for variant, overrides in variants.items():
        for name in sorted(set(grid) & set(overrides)):
            problems.add(
                f"variants: {variant}: {name}",
                "also set in 'grid', which would override it; keep each name in one place",
            )
    if seeds:
        for where, names in [("fixed", fixed), ("grid", grid)] + [
            (f"variants: {variant}", overrides) for variant, overrides in variants.items()
        ]:
            if SEED_PARAMETER in names:
                problems.add(f"{where}: {SEED_PARAMETER}", "set while 'seeds' gives the seeds; keep one")

    defaults = {}
    if notebook is not None:
        defaults, rules = _read_notebook(notebook, problems)
        if defaults is not None:
            _check_against_notebook(notebook, defaults, rules or {}, fixed, grid, variants, seeds, weight, problems)
        defaults = defaults or {}

    if problems.lines:
        raise PlanError(problems.lines)
    plan = RunPlan(
        name=path.stem,
        path=path,
        notebook=notebook,
        fixed=fixed,
        grid=grid,
        variants=variants,
        seeds=seeds,
        weight=weight,
        description=description,
        defaults=defaults,
    )
    plan.runs()  # raises if a weight is not a number or two runs would share a folder
    return plan


def _read_yaml(path):
    try:
        return strict_yaml.read_yaml(path)
    except strict_yaml.YamlFileError as error:
        raise PlanError(f"{path}: {error}") from error


def _resolve_notebook(plan_path, value, problems):
    if value is None or value == "":
        problems.add("notebook", "missing (the path of the notebook to run, relative to the plan)")
        return None
    if not isinstance(value, str):
        problems.add("notebook", f"must be one notebook path (text), got {_kind(value)} {_short(value)}")
        return None
    notebook = Path(value)
    if not notebook.is_absolute():
        notebook = plan_path.resolve().parent / notebook
    notebook = notebook.resolve()
    if not notebook.is_file():
        problems.add(
            "notebook", f"{value!r} not found (looked for {notebook}; a relative path is taken from the plan's folder)"
        )
        return None
    return notebook


def _names_to_values(content, key, problems):
    """``content[key]`` as a dict of parameter name -> value (bad entries reported and left out)."""
    value = content.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(key, f"must map parameter names to values, got {_kind(value)} {_short(value)}")
        return {}
    names = {}
    for name, item in value.items():
        if not isinstance(name, str) or not name.isidentifier():
            problems.add(key, f"{_short(name)} is not a parameter name")
        else:
            names[name] = item
    return names


def _variants(content, problems):
    value = content.get("variants")
    if value is None:
        return {}
    if not isinstance(value, dict) or not value:
        problems.add("variants", f"must map variant names to parameters, got {_kind(value)} {_short(value)}")
        return {}
    variants = {}
    for name, overrides in value.items():
        if not is_safe_name(name):
            problems.add(
                "variants", f"{_short(name)} is not a usable variant name (it names folders: {SAFE_NAME_WORDS})"
            )
            continue
        if overrides is None:
            overrides = {}
        if not isinstance(overrides, dict):
            problems.add(
                f"variants: {name}", f"must map parameter names to values, got {_kind(overrides)} {_short(overrides)}"
            )
            continue
        variants[name] = _names_to_values({name: overrides}, name, _Prefixed(problems, "variants: "))
    return variants


class _Prefixed:
    """Problems whose keys get a prefix (a variant's keys are ``variants: NAME``)."""

    def __init__(self, problems, prefix):
        self.problems, self.prefix = problems, prefix

    def add(self, key, text):
        self.problems.add(self.prefix + key, text)


def _seeds(content, problems):
    seeds = content.get("seeds")
    if seeds is None:
        return []
    if checks.is_whole_number(seeds):  # `seeds: 3` means seeds 0, 1, 2
        if seeds < 1:
            problems.add("seeds", f"a count of seeds must be at least 1, got {seeds}")
            return []
        return list(range(seeds))
    if (
        not isinstance(seeds, list)
        or not seeds
        or not all(checks.is_whole_number(seed) and seed >= 0 for seed in seeds)
    ):
        problems.add("seeds", f"must be a non-empty list of whole numbers >= 0 (or how many), got {_short(seeds)}")
        return []
    if len(set(seeds)) != len(seeds):
        problems.add("seeds", f"seeds are repeated: {seeds}")
        return []
    return [int(seed) for seed in seeds]


def _weight_names(content, problems):
    weight = content.get("weight")
    if weight is None:
        return ()
    names = [weight] if isinstance(weight, str) else weight
    if (
        not isinstance(names, list)
        or not names
        or not all(isinstance(name, str) and name.isidentifier() for name in names)
    ):
        problems.add("weight", f"must be a parameter name or a list of them, got {_kind(weight)} {_short(weight)}")
        return ()
    return tuple(names)


def _read_notebook(notebook, problems):
    """The notebook's defaults and rules (``{}`` without rules); ``(None, None)`` if unreadable."""
    try:
        defaults = notebook_parameters.read_defaults(notebook)
    except (ValueError, SyntaxError) as error:
        problems.add("notebook", f"{notebook.name}: {error}")
        return None, None
    cells = notebook_parameters.code_cells(notebook_parameters.read_notebook(notebook))
    if not any(notebook_parameters.RULES_FUNCTION in source for source, _ in cells):
        return defaults, {}  # a notebook without rules: its names are checked, not its values
    try:
        return defaults, notebook_parameters.read_rules(notebook)
    except (ValueError, SyntaxError) as error:
        problems.add("notebook", f"cannot read the rules of {notebook.name}: {error}")
        return defaults, {}


def _check_against_notebook(notebook, defaults, rules, fixed, grid, variants, seeds, weight, problems):
    """Every name the plan uses must be a parameter of the notebook, every value obey its rule."""
    known = ", ".join(defaults)

    def check_name(key, name):
        if name in RUNNER_PARAMETERS:
            problems.add(key, f"{name} is set by the runner (it points into the results folder)")
            return False
        if name not in defaults:
            problems.add(key, f"{notebook.name} has no parameter {name!r}; its parameters are {known}")
            return False
        return True

    def check_value(key, name, value):
        rule = rules.get(name)
        if rule is None:
            return
        try:
            checks.check_value(name, value, rule)
        except checks.ParameterError as error:
            problems.add(key, str(error))

    for name, value in fixed.items():
        if check_name("fixed", name):
            check_value("fixed", name, value)
    for name, values in grid.items():
        if check_name("grid", name):
            for value in values:
                check_value("grid", name, value)
    for variant, overrides in variants.items():
        for name, value in overrides.items():
            if check_name(f"variants: {variant}", name):
                check_value(f"variants: {variant}", name, value)
    if seeds and check_name("seeds", SEED_PARAMETER):
        for seed in seeds:
            check_value("seeds", SEED_PARAMETER, seed)
    for name in weight:
        check_name("weight", name)
    for name in RUNNER_PARAMETERS:
        if name not in defaults:
            problems.add(
                "notebook",
                f"{notebook.name} has no {name} parameter: the runner needs it to collect each run's metrics JSON",
            )
