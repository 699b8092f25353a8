"""Result tables: expand a grid of settings into runs, pivot a metric over two settings, print rows.

A grid is a dict of setting name -> list of values; every combination of the
values is one run. The same expansion serves a notebook's grid search and batch
run plans, so both name and order their runs alike. Nothing here trains a
network: the caller runs each settings dict and hands back its metrics, one row
(a dict) per run, which :func:`pivot` and :func:`format_table` turn into tables.
"""

import itertools
import math


def expand_grid(fixed, grid):
    """Every combination of the grid's values, each merged into the fixed settings.

    Parameters
    ----------
    fixed : dict
        Settings shared by every run (may be empty).
    grid : dict
        Setting name -> list (or tuple) of the values to try.

    Returns
    -------
    list of dict
        One settings dict per combination, ``{**fixed, name: value, ...}``, in
        ``itertools.product`` order over the grid's names: the last name varies
        fastest. An empty grid gives one run, the fixed settings.

    Raises
    ------
    ValueError
        If a grid value is not a non-empty list or tuple, or a name is both
        fixed and in the grid (which value wins would be a guess).

    Examples
    --------
    >>> expand_grid({"epochs": 5}, {"units": [32, 64], "lr": [0.1]})
    [{'epochs': 5, 'units': 32, 'lr': 0.1}, {'epochs': 5, 'units': 64, 'lr': 0.1}]
    """
    fixed, grid = dict(fixed or {}), dict(grid or {})
    for name, values in grid.items():
        if not isinstance(values, (list, tuple)) or not values:
            raise ValueError(
                f"grid values for {name!r} must be a non-empty list, got {values!r}; "
                f"write e.g. {name}: [{values!r}] to try a single value"
            )
    both = sorted(set(fixed) & set(grid))
    if both:
        raise ValueError(f"{', '.join(both)} both fixed and in the grid; keep each name in one place")
    names = list(grid)
    return [
        {**fixed, **dict(zip(names, combination))} for combination in itertools.product(*(grid[name] for name in names))
    ]


def pivot(rows, index, columns, value, reduce=max):
    """A 2-D table of one metric over two settings, the others reduced away.

    Parameters
    ----------
    rows : list of dict
        One dict per run: its settings and metrics.
    index, columns : str
        Settings that become the table's rows and columns (in sorted order).
    value : str
        The metric in each cell.
    reduce : callable
        Combines the rows that share a cell (the runs that differ only in the
        other settings): ``max`` shows the best each pair can do; a mean
        (``statistics.fmean``) shows how it does on average.

    Returns
    -------
    row_values : list
        The values of ``index``, sorted: the table's rows.
    column_values : list
        The values of ``columns``, sorted: the table's columns.
    table : list of list of float
        ``table[i][j]`` the reduced metric for ``row_values[i]`` and ``column_values[j]``, NaN where no
        run had that pair.

    Raises
    ------
    ValueError
        If ``index`` and ``columns`` name the same setting.
    """
    if index == columns:
        raise ValueError(f"index and columns must be two different settings, got {index!r} twice")
    cells = {}
    for row in rows:
        cells.setdefault((row[index], row[columns]), []).append(row[value])
    row_values = sorted({key[0] for key in cells})
    column_values = sorted({key[1] for key in cells})
    table = [
        [
            float(reduce(cells[(row_value, column_value)])) if (row_value, column_value) in cells else math.nan
            for column_value in column_values
        ]
        for row_value in row_values
    ]
    return row_values, column_values, table


def format_table(rows, columns=None, formats=None):
    """Rows as a plain-text table with aligned columns (prints the same everywhere).

    Parameters
    ----------
    rows : list of dict
        One dict per table row; a key missing from a row prints as an empty cell.
    columns : sequence of str, optional
        Column order; defaults to the first row's keys.
    formats : dict, optional
        Column -> format spec (e.g. ``{"val_accuracy": ".2%"}``); other values
        print with ``str``, floats with ``.4g``.

    Returns
    -------
    str
        The header, a line of dashes and one line per row, right-aligned; ``"(no runs)"`` for no rows.
    """
    if not rows:
        return "(no runs)"
    columns = list(columns or rows[0])
    formats = formats or {}

    def cell_text(row, column):
        value = row.get(column, "")
        if column in formats and value not in ("", None):
            return format(value, formats[column])
        return format(value, ".4g") if isinstance(value, float) else str(value)

    body = [[cell_text(row, column) for column in columns] for row in rows]
    widths = [max(len(column), *(len(line[i]) for line in body)) for i, column in enumerate(columns)]
    lines = [
        "  ".join(text.rjust(width) for text, width in zip(line, widths))
        for line in [columns, ["-" * width for width in widths], *body]
    ]
    return "\n".join(lines)
