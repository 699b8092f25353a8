import numpy as np
import pytest

from helpers.ui import step_table


def square_and_sum(x=2.0):
    values = np.array([x, 1.0])
    squares = values**2
    return step_table.steps_from(
        {"v": values, "s": squares, "total": squares.sum()},
        {"v": r"(x, 1)", "s": r"v^2", "total": r"\sum_i s_i"},
        notes={"total": "the result"},
    )


def test_steps_from_keeps_the_order_and_needs_every_formula():
    steps = square_and_sum()
    assert [step.name for step in steps] == ["v", "s", "total"]
    assert steps[2].value == 5.0 and steps[2].note == "the result" and steps[0].note == ""
    with pytest.raises(KeyError, match="no formula for b"):
        step_table.steps_from({"a": 1, "b": 2}, {"a": "1"})


def test_format_value_rounds_numbers_and_arrays():
    assert step_table.format_value(np.float32(0.123456)) == "0.1235"
    assert step_table.format_value([[0.5, -1.0]], decimals=2) == "[[ 0.50, -1.00]]"


def test_text_table_lists_every_step():
    lines = step_table.text_table(square_and_sum()).splitlines()
    assert lines == [" 1. v     = [2.0000, 1.0000]", " 2. s     = [4.0000, 1.0000]", " 3. total = 5.0000"]


def test_html_table_reveals_the_first_rows_only():
    steps = square_and_sum()
    page = step_table.html_table(steps, 2)
    assert "step 2 of 3" in page and "$v^2$" in page and "sum_i" not in page
    assert page.count("<tr") == 3 and page.count("background") == 1  # header + 2 rows, newest highlighted
    assert "step 3 of 3" in step_table.html_table(steps, 99)
    assert step_table.html_table(steps, 0).count("<tr") == 1


def test_step_table_steps_with_buttons_slider_and_inputs():
    from helpers.ui.controls import slider

    x = slider("x", 2.0, -3.0, 3.0, 0.5)
    table = step_table.StepTable(square_and_sum, controls={"x": x})
    assert table.shown == 0 and table.slider.max == 3
    table.player.step_button.click()
    table.player.step_button.click()
    assert table.shown == 2 and table.slider.value == 2 and "step 2 of 3" in table.table.value
    table.slider.value = 3
    assert "5.0000" in table.table.value
    x.value = 3.0  # recomputed, same step shown
    assert table.shown == 3 and "10.0000" in table.table.value
    table.player.reset_button.click()
    assert table.shown == 0 and table.slider.value == 0
    table.next(), table.next(), table.next(), table.next()
    assert table.shown == 3  # never past the last step


def test_step_table_shows_errors_of_the_computation():
    from helpers.ui.controls import slider

    def compute(x=1.0):
        if x < 0:
            raise ValueError("x must be 0 or more")
        return square_and_sum(x)

    x = slider("x", 1.0, -1.0, 1.0, 0.5)
    table = step_table.StepTable(compute, controls={"x": x})
    x.value = -1.0
    assert isinstance(table.last_error, ValueError) and "x must be 0 or more" in table.table.value
