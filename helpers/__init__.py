"""Shared plumbing for the chapter-1 notebooks of *Deep Learning with Keras*.

One module per concern, imported with its prefix in the notebooks::

    from helpers.core import data, models, training
    (x_train, y_train), (x_test, y_test) = data.load_mnist()

Importing ``helpers`` does no work: TensorFlow is only imported by the modules
that need it, when they are imported.
"""

__version__ = "0.1.0"
