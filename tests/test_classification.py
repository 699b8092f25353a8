"""The confusion matrix of helpers.core.classification."""

import numpy as np
import pytest

from helpers.core import classification


def test_rows_are_true_classes_and_columns_predicted_ones():
    matrix = classification.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], num_classes=3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert matrix.trace() == 4 and matrix.sum() == 6


def test_empty_labels_give_a_matrix_of_zeros():
    assert not classification.confusion_matrix(np.array([], int), np.array([], int)).any()


@pytest.mark.parametrize(
    "true, predicted, message",
    [
        ([0, 1], [0], "same shape"),
        ([0, 10], [0, 1], r"true_labels must be class indices in \[0, 10\), got values from 0 to 10"),
        ([0, 1], [-1, 1], "predicted_labels must be class indices"),
    ],
)
def test_bad_labels_are_named(true, predicted, message):
    with pytest.raises(ValueError, match=message):
        classification.confusion_matrix(true, predicted)
