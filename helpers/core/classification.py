"""Counting a classifier's answers: the confusion matrix that notebook 04 reads precision and recall from."""

import numpy as np


def confusion_matrix(true_labels, predicted_labels, num_classes=10):
    """Count, for every pair (true class, predicted class), how many examples fall there.

    Parameters
    ----------
    true_labels, predicted_labels : array-like of int
        One class index per example, each in ``[0, num_classes)``.
    num_classes : int
        Number of classes (10 for MNIST's digits).

    Returns
    -------
    numpy.ndarray of int, shape (num_classes, num_classes)
        ``matrix[t, p]`` is the number of examples of class ``t`` predicted as
        ``p``: row ``t`` holds the examples that are ``t``, column ``p`` those
        called ``p``, and the diagonal the correct answers.

    Raises
    ------
    ValueError
        If the two label arrays differ in length, or a label is outside
        ``[0, num_classes)``.
    """
    true_labels, predicted_labels = np.asarray(true_labels), np.asarray(predicted_labels)
    if true_labels.shape != predicted_labels.shape:
        raise ValueError(
            f"true_labels and predicted_labels must have the same shape, got {true_labels.shape} "
            f"and {predicted_labels.shape}"
        )
    for name, labels in (("true_labels", true_labels), ("predicted_labels", predicted_labels)):
        if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
            raise ValueError(
                f"{name} must be class indices in [0, {num_classes}), got values from {labels.min()} to {labels.max()}"
            )
    matrix = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(matrix, (true_labels, predicted_labels), 1)
    return matrix
