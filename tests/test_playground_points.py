"""Your own points for the playground: CSV files read, and bad ones refused with the row and the reason."""

import numpy as np
import pytest

from helpers.core import playground_points
from helpers.core.playground_points import PointsError, parse_points, read_points

GOOD = "x1,x2,label\n1,2,1\n-1,-2,0\n3,0.5,1\n-3,-0.5,0\n"


def test_a_classification_file_is_read():
    points = parse_points(GOOD, "mine.csv")
    assert not points.regression
    np.testing.assert_allclose(points.x, [[1, 2], [-1, -2], [3, 0.5], [-3, -0.5]])
    assert points.x.dtype == np.float32 and points.y.tolist() == [1, 0, 1, 0]
    assert points.summary() == "4 points (classification: 2 of class 0, 2 of class 1)"


def test_a_regression_file_any_column_order_spaces_and_bytes():
    points = parse_points(b"\xef\xbb\xbf y , x2, X1\n0.5, 1, 2\n-0.25,0,0\n1,1,1\n0,0,1\n\n")
    assert points.regression
    np.testing.assert_allclose(points.x[0], [2, 1])
    np.testing.assert_allclose(points.y, [0.5, -0.25, 1, 0])
    assert "regression" in points.summary()


def test_playground_labels_minus_one_and_one_are_read_as_zero_and_one():
    points = parse_points("x1,x2,label\n1,1,1\n2,2,-1\n3,3,-1\n4,4,1\n")
    assert points.y.tolist() == [1, 0, 0, 1]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", r"mine\.csv is empty: expected a header x1,x2,label"),
        ("\n  \n", "is empty"),
        ("x1,label\n1,0\n2,1\n3,0\n4,1\n", r"row 1 \(the header 'x1,label'\): missing column x2; expected a header"),
        ("a,b,c\n1,2,3\n", "missing column x1, x2, label"),
        ("x1,x2,label\n1,2,1\n1,two,0\n3,3,0\n4,4,1\n", r"row 3: 'two' in column x2 is not a number"),
        ("x1,x2,label\n1,2,1\n1,nan,0\n3,3,0\n4,4,1\n", r"row 3: x2 is 'nan'; every value must be a finite number"),
        ("x1,x2,y\n1,2,1\n1,2,inf\n3,3,0\n4,4,1\n", r"row 3: y is 'inf'"),
        ("x1,x2,label\n1,2,1\n1,,0\n3,3,0\n4,4,1\n", r"row 3: no value in column x2"),
        ("x1,x2,label\n1,2,1\n1,2\n3,3,0\n4,4,1\n", r"row 3: no value in column label"),
        (
            "x1,x2,label\n1,2,1\n1,2,1\n3,3,1\n4,4,1\n",
            r"all 4 points have label 1, a single class; a classification "
            r"needs points of both classes",
        ),
        ("x1,x2,label\n1,2,1\n1,2,2\n3,3,0\n4,4,1\n", r"row 3: label 2 is not a class; labels are 0 and 1"),
        ("x1,x2,label\n1,2,1\n9,2,0\n3,3,0\n4,4,1\n", r"row 3: x1 = 9 is outside the map, which shows \[-6, 6\]"),
        ("x1,x2,label\n1,2,1\n", r"has 1 point; at least 4 are needed"),
    ],
)
def test_bad_files_are_refused_naming_the_row_and_the_problem(text, message):
    with pytest.raises(PointsError, match=message):
        parse_points(text, "mine.csv")


def test_more_than_ten_thousand_points_are_refused():
    rows = "\n".join(f"{i % 5},{i % 3},{i % 2}" for i in range(playground_points.MAX_POINTS + 1))
    with pytest.raises(PointsError, match=r"big\.csv has 10,001 points \(rows 2 to 10002\); at most 10,000"):
        parse_points("x1,x2,label\n" + rows, "big.csv")
    assert len(parse_points("x1,x2,label\n" + rows.rsplit("\n", 1)[0]).y) == playground_points.MAX_POINTS


def test_a_file_that_is_not_text_is_refused():
    with pytest.raises(PointsError, match=r"not a text file \(byte 0 is not UTF-8\)"):
        parse_points(b"\xff\xfe\x00\x01", "picture.png")


def test_read_points_reads_again_when_the_file_changes(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(GOOD)
    assert len(read_points(path).y) == 4
    path.write_text(GOOD + "5,5,1\n")
    assert len(read_points(path).y) == 5
    with pytest.raises(PointsError, match="cannot read the points file .*missing.csv"):
        read_points(tmp_path / "missing.csv")


def test_points_csv_writes_what_parse_points_reads():
    x = np.array([[1.5, -2.0], [0.25, 3.0], [1, 1], [2, 2]])
    back = parse_points(playground_points.points_csv(x, [1, 0, 0, 1]))
    np.testing.assert_allclose(back.x, x)
    assert back.y.tolist() == [1, 0, 0, 1]
    back = parse_points(playground_points.points_csv(x, [0.5, -0.5, 0, 1], regression=True))
    assert back.regression and np.allclose(back.y, [0.5, -0.5, 0, 1])


@pytest.mark.parametrize("name", ["moons.csv", "rings_regression.csv"])
def test_the_example_files_are_good(name):
    from pathlib import Path

    points = read_points(Path(__file__).resolve().parents[1] / "data" / "playground" / name)
    assert len(points.y) >= 100
