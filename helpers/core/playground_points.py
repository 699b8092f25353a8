"""Your own points for the playground: a CSV file of ``x1, x2, label`` or ``x1, x2, y``.

The first line names the columns: ``x1,x2,label`` for classification (each
label 0 or 1; -1 and 1, TensorFlow Playground's labels, are read as 0 and 1)
or ``x1,x2,y`` for regression (any number; the colour scale shows -1 to 1).
Every other line is one point, its coordinates inside the map's square
``[-6, 6]^2``. A file that breaks a rule is refused with one line naming the
row and what is wrong (:class:`PointsError`), so a panel can show it and keep
the points it had.
"""

import csv
import io
import math
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from helpers.core import toy_data

#: The most points a file may hold (every one is drawn and trained on each step).
MAX_POINTS = 10_000
#: The fewest points: some for training and some for testing.
MIN_POINTS = 4
#: The column names of the two kinds of file.
CLASSIFICATION_COLUMNS = ("x1", "x2", "label")
REGRESSION_COLUMNS = ("x1", "x2", "y")
ALLOWED = "a header x1,x2,label (classification, labels 0 and 1) or x1,x2,y (regression)"


class PointsError(ValueError):
    """A CSV file of points that cannot be used; the message names the row and the problem."""


@dataclass(frozen=True)
class Points:
    """Points read from a CSV file.

    Attributes
    ----------
    x : numpy.ndarray of shape (n, 2), float32
    y : numpy.ndarray of shape (n,)
        Labels 0/1 (int) for classification, numbers (float32) for regression.
    regression : bool
    name : str
        Where they came from (a file name), for messages.
    """

    x: np.ndarray
    y: np.ndarray
    regression: bool
    name: str = "points"

    def summary(self):
        """One line: how many points, of which kind."""
        if self.regression:
            return f"{len(self.y)} points (regression, y from {self.y.min():.2f} to {self.y.max():.2f})"
        ones = int(self.y.sum())
        return f"{len(self.y)} points (classification: {len(self.y) - ones} of class 0, {ones} of class 1)"


def parse_points(text, name="points"):
    """Read points from the text of a CSV file (see the module's rules).

    Parameters
    ----------
    text : str or bytes
        The file's content (bytes are read as UTF-8).
    name : str
        The file's name, used in messages.

    Returns
    -------
    Points

    Raises
    ------
    PointsError
        Naming the row (1 is the header) and what is wrong with it.
    """
    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PointsError(
                f"{name}: not a text file (byte {error.start} is not UTF-8); expected {ALLOWED}"
            ) from None
    rows = [
        (number, row)
        for number, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise PointsError(f"{name} is empty: expected {ALLOWED}, then one point per row")
    header_row, header = rows[0]
    columns = [cell.strip().lower() for cell in header]
    regression = "y" in columns and "label" not in columns
    wanted = REGRESSION_COLUMNS if regression else CLASSIFICATION_COLUMNS
    missing = [column for column in wanted if column not in columns]
    if missing:
        raise PointsError(
            f"{name}, row {header_row} (the header {','.join(header)!r}): missing column "
            f"{', '.join(missing)}; expected {ALLOWED}"
        )
    points = rows[1:]
    if len(points) > MAX_POINTS:
        raise PointsError(
            f"{name} has {len(points):,} points (rows 2 to {points[-1][0]}); at most {MAX_POINTS:,} are allowed"
        )
    if len(points) < MIN_POINTS:
        raise PointsError(
            f"{name} has {len(points)} point{'s' if len(points) != 1 else ''}; "
            f"at least {MIN_POINTS} are needed (some to train on, some to test)"
        )
    at = [columns.index(column) for column in wanted]
    values = np.empty((len(points), 3))
    for index, (number, row) in enumerate(points):
        for slot, (column, position) in enumerate(zip(wanted, at)):
            values[index, slot] = _number(name, number, row, column, position)
    x, y = values[:, :2], values[:, 2]
    if regression:
        return Points(x.astype("float32"), y.astype("float32"), True, name)
    return Points(x.astype("float32"), _labels(name, points, y), False, name)


def _number(name, number, row, column, position):
    cell = row[position].strip() if position < len(row) else ""
    if not cell:
        raise PointsError(f"{name}, row {number}: no value in column {column}; every row needs a number in each column")
    try:
        value = float(cell)
    except ValueError:
        raise PointsError(f"{name}, row {number}: {cell!r} in column {column} is not a number") from None
    if math.isnan(value) or math.isinf(value):
        raise PointsError(f"{name}, row {number}: {column} is {cell!r}; every value must be a finite number")
    if column in ("x1", "x2") and abs(value) > toy_data.EXTENT:
        raise PointsError(
            f"{name}, row {number}: {column} = {value:g} is outside the map, which shows "
            f"[-{toy_data.EXTENT:g}, {toy_data.EXTENT:g}]; scale the coordinates into it"
        )
    return value


def _labels(name, points, y):
    allowed = (y == 0) | (y == 1) | (y == -1)
    if not allowed.all():
        bad = int(np.argmin(allowed))
        raise PointsError(
            f"{name}, row {points[bad][0]}: label {y[bad]:g} is not a class; labels are 0 and 1 (or -1 and 1)"
        )
    labels = (y == 1).astype(int)
    if labels.min() == labels.max():
        raise PointsError(
            f"{name}: all {len(labels)} points have label {int(y[0]):g}, a single class; "
            "a classification needs points of both classes (0 and 1)"
        )
    return labels


def read_points(path):
    """Read a CSV file of points (see :func:`parse_points`); read again only when the file changes.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    Points
    """
    try:
        status = os.stat(path)
    except OSError as error:
        raise PointsError(f"cannot read the points file {os.fspath(path)!r}: {error.strerror}") from None
    return _read_points(os.path.abspath(path), status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=16)
def _read_points(path, modified, size):
    with open(path, "rb") as file:
        return parse_points(file.read(), os.path.basename(path))


def points_csv(x, y, regression=False):
    """The CSV text of points (header and one row per point), as :func:`parse_points` reads it.

    Parameters
    ----------
    x : array of shape (n, 2)
    y : array of shape (n,)
        Labels 0/1, or numbers for ``regression``.
    regression : bool

    Returns
    -------
    str
    """
    lines = [",".join(REGRESSION_COLUMNS if regression else CLASSIFICATION_COLUMNS)]
    lines += [
        f"{a:.6g},{b:.6g},{value:.6g}" if regression else f"{a:.6g},{b:.6g},{int(value)}"
        for (a, b), value in zip(np.asarray(x, dtype=float), np.asarray(y))
    ]
    return "\n".join(lines) + "\n"
