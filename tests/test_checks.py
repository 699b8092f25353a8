import numpy as np
import pytest

from helpers.core import checks


def test_whole_numbers_only():
    assert checks.is_whole_number(3) and checks.is_whole_number(np.int64(3)) and checks.is_whole_number(0)
    assert not checks.is_whole_number(3.0) and not checks.is_whole_number(True) and not checks.is_whole_number("3")


@pytest.mark.parametrize(
    "value, rule",
    [
        (3, "int >= 1"),
        (0, "int in [0, 6]"),
        (0.5, "float in [0, 1)"),
        (1, "float > 0"),
        ("adam", "one of sgd, rmsprop, adam"),
        ([32, 64], "list of int >= 1"),
        ("", "path"),
        (True, "bool"),
        ({"sgd": 0.01}, "mapping of sgd|rmsprop|adam to float > 0"),
        ("x", "str"),
    ],
)
def test_allowed_values_pass(value, rule):
    checks.check_value("NAME", value, rule)


@pytest.mark.parametrize(
    "value, rule, expected",
    [
        (2.5, "int >= 1", r"^EPOCHS must be a whole number >= 1; got 2.5 \(float: not a whole number\)$"),
        (2.0, "int >= 1", r"got 2.0 \(float: a float, not a whole number"),
        (True, "int >= 1", r"got True \(bool: not a whole number\)"),
        ("5", "int >= 1", r"got '5' \(str: not a whole number\)\. It is a string that looks like a number"),
        ("1e-3", "float > 0", r"in YAML write 0.001"),
        (0, "int >= 1", r"got 0 \(int: outside >= 1\)"),
        (1.0, "float in [0, 1)", r"must be a number in \[0, 1\); got 1.0"),
        ("adamw", "one of sgd, rmsprop, adam", r"must be one of 'sgd', 'rmsprop', 'adam'; got 'adamw'"),
        ([32, 0], "list of int >= 1", r"item 1 \(0\) is outside >= 1"),
        ([], "list of int >= 1", r"not a non-empty list"),
        ({"sgdx": 0.1}, "mapping of sgd|adam to float > 0", r"key 'sgdx' is not one of sgd, adam"),
        (None, "path", r"not a string"),
        (float("nan"), "float >= 0", r"not finite"),
    ],
)
def test_a_bad_value_is_named_with_what_is_allowed(value, rule, expected):
    with pytest.raises(checks.ParameterError, match=expected):
        checks.check_value("EPOCHS", value, rule)


def test_check_parameters_reports_the_first_bad_or_missing_name():
    rules = {"A": "int >= 0", "B": "float > 0"}
    checks.check_parameters({"A": 1, "B": 0.5, "OTHER": "x"}, rules)
    with pytest.raises(checks.ParameterError, match=r"^B must be a number > 0; got -1"):
        checks.check_parameters({"A": 1, "B": -1}, rules)
    with pytest.raises(checks.ParameterError, match=r"^B is missing"):
        checks.check_parameters({"A": 1}, rules)


def test_parameter_errors_are_value_errors():
    assert issubclass(checks.ParameterError, ValueError)


@pytest.mark.parametrize("rule", ["integer", "int >> 3", "list of", "mapping of a to", "int in [0 6]"])
def test_malformed_rules_are_refused(rule):
    with pytest.raises(ValueError, match="not a parameter rule"):
        checks.check_rule(rule)
