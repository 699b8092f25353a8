"""Which code ran: the project's commit plus a digest of its uncommitted changes."""

import hashlib
import subprocess


def code_version(folder):
    """The code version of the git working tree that holds ``folder``.

    Kernels import the project's helpers from its working tree, so two runs with
    the same version ran the same code.

    Parameters
    ----------
    folder : str or Path
        A folder inside the project (a notebook's folder).

    Returns
    -------
    str or None
        ``abc1234def56`` (the commit, 12 characters) or ``abc1234def56+<digest>``
        when there are uncommitted changes (12 characters of the SHA-256 of
        ``git diff HEAD``); ``None`` outside a git repository or without git.
    """

    def git(*arguments):
        result = subprocess.run(["git", *arguments], cwd=folder, capture_output=True, timeout=30)
        if result.returncode:
            raise OSError(result.stderr.decode(errors="replace"))
        return result.stdout

    try:
        commit = git("rev-parse", "--short=12", "HEAD").decode().strip()
        changes = git("diff", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{commit}+{hashlib.sha256(changes).hexdigest()[:12]}" if changes else commit
