"""What a run plan file may hold, checked in full before anything runs.

:func:`check_plan` checks the content of a plan file (see :mod:`helpers.batch.runplan`
for its keys) so that a mistake costs a second, not an hour of training: its
keys and their shapes, every parameter name against the notebook's
``parameters`` cell, and every value against the rules the notebook checks its
parameters with (the dict given to ``checks.check_parameters``; a notebook
without rules gets its names checked only). YAML reads ``1e-3`` as a string, so
``LEARNING_RATE: 1e-3`` is refused here, not by every run an hour later. Each
problem is one line that names the file, the key and what is wrong.
"""

import re
from pathlib import Path

from helpers.core import checks, parameters as notebook_parameters

#: Keys a plan file may have.
PLAN_KEYS = ("notebook", "description", "fixed", "grid", "variants", "seeds", "weight")
#: Parameters the runner sets itself: a plan may not set them.
RUNNER_PARAMETERS = ("METRICS_PATH",)
#: The parameter that receives each seed.
SEED_PARAMETER = "SEED"
#: Plan names, variant names and run ids name folders: these characters only, not starting with '.'.
SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+")
SAFE_NAME_WORDS = "letters, digits, '.', '_' and '-', not starting with '.'"


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


def check_plan(path, content):
    """Check the content of a plan file in full against its notebook.

    Parameters
    ----------
    path : Path
        The plan file (named in every problem; a relative notebook path is
        taken from its folder, and its name names the results folder).
    content : object
        What the file's YAML holds.

    Returns
    -------
    values : dict or None
        ``notebook`` (an absolute Path), ``fixed``, ``grid``, ``variants``,
        ``seeds``, ``weight``, ``description`` and ``defaults`` (the notebook's
        own values), as :class:`helpers.batch.runplan.RunPlan` takes them; None
        when the content is not a mapping.
    problems : list of str
        One line per problem, ``FILE: KEY: problem``, empty when the plan can
        run: unknown keys; a notebook that is not one path, is missing, or has
        no ``parameters`` cell; keys of the wrong shape (``fixed``, ``grid``,
        ``variants`` mappings; grid values non-empty lists; variant names safe
        folder names; ``seeds`` non-negative whole numbers; ``weight``
        parameter names); a parameter the notebook does not have; a value its
        rule refuses; a name set both by a variant or ``fixed`` and by the grid.
    """
    problems = _Problems(path)
    if not isinstance(content, dict):
        return None, [f"{path}: a run plan is a mapping with at least 'notebook:', got {_kind(content)}"]
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

    values = {
        "notebook": notebook,
        "fixed": fixed,
        "grid": grid,
        "variants": variants,
        "seeds": seeds,
        "weight": weight,
        "description": description,
        "defaults": defaults,
    }
    return values, problems.lines


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
    try:  # a notebook without rules: its names are checked, not its values
        return defaults, notebook_parameters.read_rules(notebook, missing_ok=True)
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
