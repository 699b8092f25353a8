"""Typed checks of parameters and settings: one rule per name, checked type first.

A notebook's parameters cell holds literals that papermill, a run plan or a
learner may replace with anything. The cell after it declares a rule for every
parameter and calls :func:`check_parameters`, so a wrong value stops there with
one message that names the parameter, the value given and what is allowed::

    checks.check_parameters(globals(), {
        "EPOCHS": "int >= 1",
        "LEARNING_RATE": "float > 0",
        "DROPOUT": "float in [0, 1)",
        "OPTIMIZER": "one of sgd, rmsprop, adam",
        "SWEEP_BATCH_SIZES": "list of int >= 1",
        "METRICS_PATH": "path",
    })

The batch runner reads the same rules from the notebook (see
:func:`helpers.core.parameters.read_rules`) and checks a plan's values against
them before any run starts.

Rules
-----
``int``, ``float``, ``str``, ``bool`` and ``path`` (a string, may be empty),
optionally followed by a bound (``>= 0``, ``> 0``, ``<= 10``) or an interval
(``in [0, 6]``, ``in [0, 1)``); ``one of a, b, c`` (a choice of words);
``list of RULE`` (a non-empty list); ``mapping of a|b|c to RULE`` (a dict whose
keys are some of those words). An ``int`` is a whole number: ``2.5``, ``2.0``,
``True`` and ``"2"`` are refused, never truncated. A ``float`` takes whole
numbers too.
"""

import math
import numbers
import re


class ParameterError(ValueError):
    """A parameter or setting with a value its rule does not allow; the message names it."""


_BOUND = re.compile(r"^(>=|>|<=|<)\s*(\S+)$")
_INTERVAL = re.compile(r"^in\s*([\[(])\s*(\S+)\s*,\s*(\S+)\s*([\])])$")
_TYPE_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "str": "a string",
    "bool": "True or False",
    "path": "a file path (a string, empty for none)",
}


def is_whole_number(value):
    """Whether ``value`` is a whole number: ``3``, ``numpy.int64(3)``; not ``3.0``, ``True`` or ``"3"``.

    Parameters
    ----------
    value : object

    Returns
    -------
    bool
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def describe(rule):
    """What ``rule`` allows, in words: ``"int >= 1"`` -> ``"a whole number >= 1"``.

    Parameters
    ----------
    rule : str
        A parameter rule (see the module's description).

    Returns
    -------
    str
    """
    rule = _normalize(rule)
    if rule.startswith("list of "):
        return f"a non-empty list, each item {describe(rule[8:])}"
    if rule.startswith("mapping of "):
        keys, value_rule = _split_mapping(rule)
        return f"a mapping from {', '.join(keys)} to {describe(value_rule)}"
    if rule.startswith("one of "):
        return "one of " + ", ".join(repr(choice) for choice in _choices(rule))
    kind, _, bound = rule.partition(" ")
    return f"{_TYPE_WORDS[kind]} {bound}".strip()


def problem(value, rule):
    """Why ``value`` breaks ``rule``, as a short phrase.

    Parameters
    ----------
    value : object
    rule : str
        A parameter rule.

    Returns
    -------
    str or None
        None when ``rule`` allows ``value``.
    """
    rule = _normalize(rule)
    if rule.startswith("list of "):
        if not isinstance(value, (list, tuple)) or not value:
            return "not a non-empty list"
        for index, item in enumerate(value):
            why = problem(item, rule[8:])
            if why:
                return f"item {index} ({item!r}) is {why}"
        return None
    if rule.startswith("mapping of "):
        keys, value_rule = _split_mapping(rule)
        if not isinstance(value, dict) or not value:
            return "not a non-empty mapping"
        for key, item in value.items():
            if key not in keys:
                return f"key {key!r} is not one of {', '.join(keys)}"
            why = problem(item, value_rule)
            if why:
                return f"the value for {key!r} ({item!r}) is {why}"
        return None
    if rule.startswith("one of "):
        choices = _choices(rule)
        return None if isinstance(value, str) and value in choices else "not one of the choices"
    kind, _, bound = rule.partition(" ")
    type_problem = _type_problem(value, kind)
    if type_problem or not bound:
        return type_problem
    return None if _within(value, bound) else f"outside {bound.removeprefix('in ')}"


def check_value(name, value, rule):
    """Raise :class:`ParameterError` unless ``value`` obeys ``rule``.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : object
    rule : str
        A parameter rule.

    Raises
    ------
    ParameterError
        Naming the parameter, what the rule allows, the value and what is wrong with it.

    Examples
    --------
    >>> check_value("EPOCHS", 2.5, "int >= 1")
    Traceback (most recent call last):
    ...
    helpers.core.checks.ParameterError: EPOCHS must be a whole number >= 1; got 2.5 (float: not a whole number)
    """
    why = problem(value, rule)
    if why:
        raise ParameterError(
            f"{name} must be {describe(rule)}; got {value!r} ({type(value).__name__}: {why}){_hint(value, rule)}"
        )


def check_values(values, rules):
    """Check every name of ``rules`` in the dict ``values``; raise for the first bad or missing one.

    Parameters
    ----------
    values : dict
        Name -> value.
    rules : dict
        Name -> parameter rule.

    Returns
    -------
    dict
        ``values``, unchanged.

    Raises
    ------
    ParameterError
        For the first name that is missing or breaks its rule.
    """
    for name, rule in rules.items():
        if name not in values:
            raise ParameterError(f"{name} is missing; it must be {describe(rule)}")
        check_value(name, values[name], rule)
    return values


def check_parameters(namespace, rules):
    """Check a notebook's parameters against ``rules``.

    Every rule's name must be defined; a name of ``rules`` that the parameters
    cell does not define is reported as missing.

    Parameters
    ----------
    namespace : dict
        The notebook's ``globals()``.
    rules : dict
        Name -> parameter rule.

    Raises
    ------
    ParameterError
        For the first name that is missing or breaks its rule.
    """
    check_values(namespace, rules)


def check_rule(rule):
    """Check that ``rule`` is a rule this module understands.

    Parameters
    ----------
    rule : str

    Raises
    ------
    ValueError
        If it is not.
    """
    try:
        describe(rule)
        bound = _normalize(rule).partition(" ")[2]
        if bound and not bound.startswith(("one of", "of ")):
            _within(0, bound)
    except (KeyError, ValueError, IndexError) as error:
        raise ValueError(f"not a parameter rule: {rule!r}") from error


def _normalize(rule):
    return " ".join(str(rule).split())


def _choices(rule):
    return [choice.strip() for choice in rule[len("one of ") :].split(",") if choice.strip()]


def _split_mapping(rule):
    keys, separator, value_rule = rule[len("mapping of ") :].partition(" to ")
    if not separator:
        raise ValueError(f"a mapping rule needs 'to': {rule!r}")
    return [key.strip() for key in keys.split("|")], value_rule


def _type_problem(value, kind):
    if kind == "int":
        if is_whole_number(value):
            return None
        if isinstance(value, float) and value.is_integer():
            return "a float, not a whole number; write it without a decimal point"
        return "not a whole number"
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return "not a number"
        return None if math.isfinite(value) else "not finite"
    if kind in ("str", "path"):
        return None if isinstance(value, str) else "not a string"
    if kind == "bool":
        return None if isinstance(value, bool) else "not True or False"
    raise KeyError(kind)


def _within(value, bound):
    match = _BOUND.match(bound)
    if match:
        operator, limit = match.group(1), float(match.group(2))
        return {">=": value >= limit, ">": value > limit, "<=": value <= limit, "<": value < limit}[operator]
    match = _INTERVAL.match(bound)
    if match:
        opening, low, high, closing = match.groups()
        low, high = float(low), float(high)
        above = value >= low if opening == "[" else value > low
        below = value <= high if closing == "]" else value < high
        return above and below
    raise ValueError(f"not a bound: {bound!r}")


def _hint(value, rule):
    kind = _normalize(rule).partition(" ")[0]
    if kind in ("int", "float") and isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        if kind == "int":
            return ". It is a string that looks like a number: write it without quotes (with papermill use -p, not -r)"
        return (
            ". It is a string that looks like a number: in YAML write 0.001 or 1.0e-3 "
            "(1e-3 reads as a string); with papermill use -p, not -r"
        )
    return ""
