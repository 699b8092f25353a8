import math
import statistics

import pytest

from helpers.core import tables


def test_expand_grid_makes_every_combination_last_name_fastest():
    runs = tables.expand_grid({"epochs": 5}, {"units": [32, 64], "lr": [0.1, 0.01], "dropout": (0.0,)})
    assert len(runs) == 4
    assert runs[0] == {"epochs": 5, "units": 32, "lr": 0.1, "dropout": 0.0}
    assert [(run["units"], run["lr"]) for run in runs] == [(32, 0.1), (32, 0.01), (64, 0.1), (64, 0.01)]


def test_expand_grid_edge_cases():
    assert tables.expand_grid({"a": 1}, {}) == [{"a": 1}]
    assert tables.expand_grid({}, {"a": [1, 2]}) == [{"a": 1}, {"a": 2}]
    assert tables.expand_grid(None, None) == [{}]
    fixed = {"a": 1}
    tables.expand_grid(fixed, {"b": [2]})[0]["a"] = 99
    assert fixed == {"a": 1}, "the caller's dict is not shared with the runs"


@pytest.mark.parametrize("bad", [0.1, [], "adam", None])
def test_expand_grid_rejects_values_that_are_not_lists(bad):
    with pytest.raises(ValueError, match="grid values for 'lr' must be a non-empty list"):
        tables.expand_grid({}, {"lr": bad})


def test_expand_grid_rejects_a_name_fixed_and_varied():
    with pytest.raises(ValueError, match="lr both fixed and in the grid"):
        tables.expand_grid({"lr": 0.1}, {"lr": [0.1, 0.2]})


def test_pivot_reduces_the_other_settings():
    rows = [
        {"u": u, "lr": lr, "d": d, "acc": u / 100 + lr + d} for u in (32, 64) for lr in (0.1, 0.01) for d in (0.0, 0.5)
    ]
    rows = rows[:-1]  # one cell (64, 0.1) loses a run, (64, 0.01) keeps both
    index, columns, table = tables.pivot(rows, "u", "lr", "acc")
    assert index == [32, 64] and columns == [0.01, 0.1]
    assert table[0][1] == pytest.approx(0.32 + 0.1 + 0.5)
    _, _, means = tables.pivot(rows, "u", "lr", "acc", reduce=statistics.fmean)
    assert means[0][0] == pytest.approx(0.32 + 0.01 + 0.25)
    _, _, sparse = tables.pivot(rows[:1], "u", "lr", "acc")
    assert sparse == [[pytest.approx(0.42)]]
    _, _, holes = tables.pivot([{"u": 1, "lr": 1, "acc": 1.0}, {"u": 2, "lr": 2, "acc": 2.0}], "u", "lr", "acc")
    assert math.isnan(holes[0][1]) and holes[1][1] == 2.0
    with pytest.raises(ValueError, match="two different settings"):
        tables.pivot(rows, "u", "u", "acc")


def test_format_table_aligns_columns():
    text = tables.format_table([{"units": 32, "acc": 0.91234}, {"units": 256, "acc": 0.5}], formats={"acc": ".1%"})
    lines = text.splitlines()
    assert lines[0].split() == ["units", "acc"]
    assert lines[2].split() == ["32", "91.2%"] and lines[3].split() == ["256", "50.0%"]
    assert len({len(line) for line in lines}) == 1
    assert tables.format_table([]) == "(no runs)"
