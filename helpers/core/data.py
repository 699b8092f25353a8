"""MNIST, vendored with the project, and its preparation as the book does it.

``data/mnist.npz`` is built from the original IDX files by
``scripts/build_mnist.py`` (``make data``); its sha256 is checked on every load
so a truncated or edited file is caught before it silently trains a network.
"""

import functools
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from helpers.core import checks

#: The vendored file and the digest ``make data`` prints when it builds it.
MNIST_PATH = Path(__file__).resolve().parents[2] / "data" / "mnist.npz"
MNIST_SHA256 = "8e083283c91432a55ec214b424b750f347064b1c21bf79cd5a9a425e1c6c2048"
REBUILD_COMMAND = "make data"

NUM_CLASSES = 10


class DataFileError(RuntimeError):
    """The MNIST file is missing, corrupt or not the expected one."""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_verified(path, expected_sha256):
    path = Path(path)
    if not path.is_file():
        raise DataFileError(
            f"MNIST file not found: {path}. Rebuild it with `{REBUILD_COMMAND}` from the project's root folder."
        )
    actual = _sha256(path)
    if expected_sha256 is not None and actual != expected_sha256:
        raise DataFileError(
            f"MNIST file {path} is corrupt or not the expected one "
            f"(sha256 {actual[:12]}..., expected {expected_sha256[:12]}...). "
            f"Rebuild it with `{REBUILD_COMMAND}` from the project's root folder."
        )
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    except Exception as error:  # a zip or npy error means the same thing here
        raise DataFileError(
            f"MNIST file {path} cannot be read ({error}). "
            f"Rebuild it with `{REBUILD_COMMAND}` from the project's root folder."
        ) from error
    return arrays


def load_mnist(path=None, expected_sha256=MNIST_SHA256):
    """Load MNIST exactly as ``keras.datasets.mnist.load_data()`` returns it.

    Parameters
    ----------
    path : str or Path, optional
        The ``.npz`` file; defaults to the project's ``data/mnist.npz``.
    expected_sha256 : str or None
        Digest the file must have; ``None`` skips the check (for test files).

    Returns
    -------
    tuple
        ``((x_train, y_train), (x_test, y_test))``: uint8 arrays of shape
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,). Each call reads
        the file again (about 0.3 s) and returns new arrays, so a notebook may
        modify them freely; nothing is kept in memory between calls (a kernel
        holds the images once, not twice).

    Raises
    ------
    DataFileError
        If the file is missing, corrupt or different; the message names the file
        and the command that rebuilds it.
    """
    arrays = _read_verified(MNIST_PATH if path is None else path, expected_sha256)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


#: Byte boundary the prepared images start on: TensorFlow can read an array
#: aligned like this in place (see :func:`as_tensor`).
ALIGNMENT = 64


def aligned_empty(shape, dtype, alignment=ALIGNMENT):
    """An uninitialized array whose data starts on an ``alignment``-byte boundary."""
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    buffer = np.empty(nbytes + alignment, dtype=np.uint8)
    start = -buffer.ctypes.data % alignment
    return buffer[start : start + nbytes].view(dtype).reshape(shape)


def flatten_and_scale(images):
    """Flatten 28x28 images to 784-vectors of float32 in [0, 1], as the book does.

    The values are those of ``images.reshape(n, -1).astype("float32") / 255``.
    The result is written into one 64-byte-aligned array (no second 188 MB
    temporary for the 60,000 training images), which Keras can then train on
    without copying it (memory is tight on Binder).
    """
    images = np.asarray(images)
    flat = aligned_empty((len(images), int(np.prod(images.shape[1:]))), np.float32)
    flat[...] = images.reshape(flat.shape)
    flat /= np.float32(255.0)
    return flat


def one_hot(labels, num_classes=NUM_CLASSES):
    """One-hot encode integer labels with ``keras.utils.to_categorical``, as float32.

    ``to_categorical`` returns float64; the network computes in float32, so the
    labels are converted once here rather than on every batch (the numbers are
    the same, the arrays half the size).
    """
    import keras  # imported here: loading data for NumPy-only work needs no TensorFlow

    return keras.utils.to_categorical(labels, num_classes).astype("float32")


@dataclass
class PreparedMNIST:
    """MNIST ready for a dense network: flattened, scaled, one-hot, split."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    labels_test: np.ndarray

    def summary(self):
        """Shapes of every array, as a dict of tuples."""
        return {
            name: tuple(getattr(self, name).shape)
            for name in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test")
        }


@functools.lru_cache(maxsize=1)
def prepare_mnist(train_samples=60000, validation_split=0.2):
    """MNIST prepared as the book does, split as ``model.fit(..., validation_split=...)`` splits it.

    The first ``train_samples`` training images are flattened, scaled to
    [0, 1] and their labels one-hot encoded; the *last* ``validation_split``
    of them is held out for validation, exactly the images Keras holds out
    when ``fit`` is given ``validation_split`` (the split index is
    ``floor(n * (1 - validation_split))``). Passing these arrays as
    ``validation_data`` therefore gives the same numbers as the book's call.

    This is the project's one cache of prepared data: the last preparation
    is kept (all 60,000 images take about 220 MB), so panels that retrain on
    the same data do not prepare it again. The arrays are shared: do not
    modify them.

    Parameters
    ----------
    train_samples : int
        How many training images to use, from the first; at most 60,000.
    validation_split : float
        Fraction in [0, 1) held out for validation.

    Returns
    -------
    PreparedMNIST
    """
    checks.check_value("train_samples", train_samples, "int in [2, 60000]")
    checks.check_value("validation_split", validation_split, "float in [0, 1)")
    (x_train, y_train), (x_test, y_test) = load_mnist()
    split_at = math.floor(train_samples * (1.0 - validation_split))
    if split_at < 1:
        raise checks.ParameterError(
            f"no training images left after the validation split of {validation_split} on {train_samples} images"
        )
    x, y = flatten_and_scale(x_train[:train_samples]), one_hot(y_train[:train_samples])
    return PreparedMNIST(
        x_train=x[:split_at],
        y_train=y[:split_at],
        x_val=x[split_at:],
        y_val=y[split_at:],
        x_test=flatten_and_scale(x_test),
        y_test=one_hot(y_test),
        labels_test=y_test,
    )


def as_tensor(array):
    """``array`` as the tensor ``model.fit`` trains on, made once and shared by every ``fit``.

    Given NumPy arrays, ``model.fit`` copies them into TensorFlow tensors on
    every call, and the kernel keeps that memory (190 MB more for MNIST's
    60,000 training images, per ``fit``). A 64-byte-aligned array (as
    :func:`flatten_and_scale` makes them) becomes a tensor that reads the
    array's memory in place, through DLPack, with no copy at all. Any other
    array is copied once into aligned memory that the tensor then reads: one
    copy, where ``keras.ops.convert_to_tensor`` makes two (TensorFlow copies
    the array, then copies that copy into aligned memory), so converting all
    of MNIST's training images needs 0.19 GB less at that moment. The numbers
    are the same either way. On other Keras backends (JAX trains on NumPy
    arrays directly), and for anything but a NumPy array, ``array`` is returned
    unchanged.

    Parameters
    ----------
    array : numpy.ndarray
        Training data; when it is shared, do not modify it afterwards.

    Returns
    -------
    tf.Tensor or numpy.ndarray
    """
    import keras

    if keras.backend.backend() != "tensorflow" or not isinstance(array, np.ndarray):
        return array
    import tensorflow as tf

    if array.size and array.dtype in (np.float32, np.float64, np.int32, np.int64, np.uint8):
        if not (array.flags.c_contiguous and array.flags.writeable and array.ctypes.data % ALIGNMENT == 0):
            aligned = aligned_empty(array.shape, array.dtype)
            aligned[...] = array
            array = aligned
        try:
            return tf.experimental.dlpack.from_dlpack(array.__dlpack__())
        except (BufferError, TypeError, ValueError, RuntimeError, tf.errors.OpError):
            pass
    return keras.ops.convert_to_tensor(array)


def mnist_tensors(train_samples=60000):
    """MNIST prepared as the book prepares it, as tensors ``fit`` shares: the lessons' one data line.

    The images are flattened to 784 ``float32`` values in [0, 1] and the labels
    one-hot encoded (the preparation notebook 04 writes out), then made
    tensors with :func:`as_tensor`, which reads the prepared arrays in place:
    the images are in memory once, and ``fit`` makes no copy of them.

    Parameters
    ----------
    train_samples : int
        How many training images, from the first; at most 60,000.

    Returns
    -------
    tuple
        ``((X_train, Y_train), (X_test, Y_test))``: X of shape (n, 784), Y of
        shape (n, 10). ``fit(..., validation_split=0.2)`` holds out the last
        fifth of ``X_train``, as in the book.
    """
    prepared = prepare_mnist(train_samples, 0.0)
    return (
        (as_tensor(prepared.x_train), as_tensor(prepared.y_train)),
        (as_tensor(prepared.x_test), as_tensor(prepared.y_test)),
    )
