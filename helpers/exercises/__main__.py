"""``python -m helpers.exercises``: notebooks with the solutions filled in, and instructors' assignments.

python -m helpers.exercises fill notebooks/05_dropout.ipynb build/filled/05_dropout.ipynb
python -m helpers.exercises assign --out build/assignments notebooks/0*.ipynb notebooks/1*.ipynb
"""

import argparse
import sys
from pathlib import Path

import nbformat

from helpers.exercises import notebooks


def main(argv=None):
    """The command line: ``fill`` (a notebook with its solutions) and ``assign`` (otter-grader assignments).

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: the command line's).

    Returns
    -------
    int
        The exit status: 0.
    """
    parser = argparse.ArgumentParser(prog="python -m helpers.exercises", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fill = commands.add_parser("fill", help="write a copy of a notebook with every answer cell filled in")
    fill.add_argument("notebook", type=Path)
    fill.add_argument("output", type=Path)
    assign = commands.add_parser("assign", help="student notebooks and autograder (otter-grader) for notebooks")
    assign.add_argument("notebooks", type=Path, nargs="+")
    assign.add_argument("--out", type=Path, default=Path("build/assignments"))
    options = parser.parse_args(argv)
    if options.command == "fill":
        if not options.notebook.is_file():
            parser.error(f"no notebook {options.notebook}")
        filled = notebooks.fill_in_solutions(nbformat.read(options.notebook, as_version=4))
        options.output.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(filled, options.output)
        print(f"{options.output}: {len(notebooks.answer_cells(filled))} answer cells filled in")
        return 0
    from helpers.exercises import assignments

    for path in options.notebooks:
        if not path.is_file():
            parser.error(f"no notebook {path}")
    for line in assignments.build(options.notebooks, options.out):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
