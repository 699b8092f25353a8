import numpy as np
import pytest

from helpers.core import checks


def test_whole_numbers_only():
    assert checks.whole(3) and checks.whole(np.int64(3)) and checks.whole(0)
    assert not checks.whole(3.0) and not checks.whole(True) and not checks.whole("3")


def test_the_first_failing_check_is_named_with_its_value():
    with pytest.raises(ValueError, match=r"^B must be at least 1, got 0$"):
        checks.require([("A", 5, True, "anything"), ("B", 0, False, "at least 1"), ("C", "x", False, "never seen")])
    with pytest.raises(ValueError, match=r"got 'circles'"):
        checks.require([("DATASET", "circles", False, "one of circle, xor")])
    assert checks.require([("A", 1, True, "fine")]) is None
