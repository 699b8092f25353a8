"""Files written whole or not at all."""

import json
import os
import threading
from pathlib import Path


def write_json_atomically(path, content):
    """Write ``content`` as JSON to ``path``: whole or not at all.

    A temporary file in the same folder, flushed to disk, then ``os.replace``:
    a reader sees the old file or the new one, never a half-written one, even
    if the process is killed while writing. Folders are created as needed.

    Parameters
    ----------
    path : str or Path
        The file to write.
    content : object
        Anything ``json.dumps`` takes; written indented, keys sorted.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temporary, "w") as file:
            file.write(json.dumps(content, indent=2, sort_keys=True) + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
