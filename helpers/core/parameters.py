"""A notebook's parameters, read from the notebook file: names, defaults, rules, papermill commands.

Every notebook has one code cell tagged ``parameters`` that holds only literal
assignments (papermill replaces them) and, after it, a cell that calls
:func:`helpers.core.checks.check_parameters` with a dict literal of rules. This
module reads both without running anything, so the batch runner, the panels'
"batch command" and the tests all see the same parameters.
"""

import ast
import json
import shlex
from pathlib import Path

from helpers.core import checks

#: The name of the function whose second argument holds a notebook's rules.
RULES_FUNCTION = "check_parameters"
#: Where the project's notebooks are: a bare notebook name is looked up there when
#: it is not in the current folder (a kernel runs in ``notebooks/``, tests and apps elsewhere).
NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"


class NotebookError(ValueError):
    """A notebook whose parameters cannot be read; the message names the file and the problem."""


def read_notebook(path):
    """The notebook at ``path`` (or of that name in :data:`NOTEBOOKS_DIR`) as a dict (nbformat 4 JSON)."""
    path = Path(path)
    if not path.exists() and (NOTEBOOKS_DIR / path).exists():
        path = NOTEBOOKS_DIR / path
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise NotebookError(f"cannot read notebook {path}: {error}") from error


def code_cells(notebook):
    """The source of every code cell, with its tags: a list of (source, tags)."""
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append(
                ("".join(source) if isinstance(source, list) else source, cell.get("metadata", {}).get("tags", []))
            )
    return cells


def parameters_source(notebook, name="notebook"):
    """The source of the notebook's one cell tagged ``parameters``."""
    tagged = [source for source, tags in code_cells(notebook) if "parameters" in tags]
    if len(tagged) != 1:
        raise NotebookError(f"{name} must have exactly one code cell tagged 'parameters', found {len(tagged)}")
    return tagged[0]


def read_defaults(path):
    """Names and default values of a notebook's ``parameters`` cell, in order.

    Raises
    ------
    NotebookError
        If the cell is missing, or holds anything but ``NAME = literal`` lines
        (papermill can only replace literals, and derived values would not follow).
    """
    path = Path(path)
    source = parameters_source(read_notebook(path), path.name)
    values = {}
    for statement in ast.parse(source).body:
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            raise NotebookError(
                f"{path.name}: the parameters cell may only assign literals, found {ast.unparse(statement)!r}"
            )
        try:
            values[statement.targets[0].id] = ast.literal_eval(statement.value)
        except ValueError as error:
            raise NotebookError(
                f"{path.name}: {statement.targets[0].id} is not a literal ({ast.unparse(statement.value)})"
            ) from error
    return values


def read_rules(path, missing_ok=False):
    """The rules a notebook checks its parameters with: name -> rule (see :mod:`helpers.core.checks`).

    Found in the code cell that calls ``check_parameters(globals(), {...})``.

    Parameters
    ----------
    path : path-like
        The notebook.
    missing_ok : bool
        Return ``{}`` for a notebook with no such cell (its names can be checked, not its values)
        instead of raising.

    Raises
    ------
    NotebookError
        If no cell calls ``check_parameters`` (unless ``missing_ok``), or its rules are not a dict literal.
    """
    path = Path(path)
    cells = code_cells(read_notebook(path))
    if missing_ok and not any(RULES_FUNCTION in source for source, _ in cells):
        return {}
    for source, _ in cells:
        if RULES_FUNCTION not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and _called_name(node) == RULES_FUNCTION and len(node.args) == 2:
                try:
                    rules = ast.literal_eval(node.args[1])
                except ValueError as error:
                    raise NotebookError(
                        f"{path.name}: the rules given to {RULES_FUNCTION} must be a dict literal"
                    ) from error
                for rule in rules.values():
                    checks.check_rule(rule)
                return rules
    raise NotebookError(f"{path.name} has no cell calling {RULES_FUNCTION}(globals(), {{...}})")


def settings_to_parameters(path, settings, fixed=None, defaults=None, prefix=""):
    """Papermill parameters of the notebook at ``path`` that repeat ``settings``.

    Each setting ``name`` becomes the parameter ``PREFIX + NAME`` (upper case)
    when the notebook has it. ``fixed`` adds parameters as they are (for
    example ``{"SIMPLE_EPOCHS": 0}``).

    Raises
    ------
    NotebookError
        If a setting the notebook has no parameter for differs from its value
        in ``defaults`` (the command would not repeat the run); without
        ``defaults`` such settings must be absent.
    checks.ParameterError
        If a parameter breaks the notebook's own rule for it (the notebook
        would refuse the command); the message names the notebook. A notebook
        without rules has its names checked, not its values.
    """
    names = read_defaults(path)
    defaults = defaults or {}
    lost = [
        name
        for name, value in settings.items()
        if prefix + name.upper() not in names and (name not in defaults or defaults[name] != value)
    ]
    if lost:
        raise NotebookError(
            f"{Path(path).name} has no parameter for "
            f"{', '.join(f'{name}={settings[name]!r}' for name in lost)}, "
            "so its batch command cannot repeat this run"
        )
    parameters = {prefix + name.upper(): value for name, value in settings.items() if prefix + name.upper() in names}
    parameters.update(fixed or {})
    rules = read_rules(path, missing_ok=True)
    try:
        checks.check_values(parameters, {name: rules[name] for name in parameters if name in rules})
    except checks.ParameterError as error:
        raise checks.ParameterError(f"{Path(path).name} would refuse this run: {error}") from error
    return parameters


def papermill_command(notebook, parameters):
    """The shell command that runs ``notebook`` in batch with ``parameters``.

    Strings go with ``-r`` (raw), lists and dicts with ``-y`` (as YAML, which
    papermill parses) and numbers and booleans with ``-p``, so papermill gives
    the notebook the same types.
    """
    notebook = str(notebook)
    parts = ["papermill", notebook, notebook.replace(".ipynb", "-out.ipynb")]
    for name, value in parameters.items():
        if isinstance(value, (list, tuple, dict)):
            parts += ["-y", json.dumps({name: list(value) if isinstance(value, tuple) else value})]
        else:
            parts += ["-r" if isinstance(value, str) else "-p", name, str(value)]
    return " ".join(shlex.quote(part) for part in parts)


def _called_name(call):
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else None
