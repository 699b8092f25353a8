"""The Markdown of every notebook: no control characters, balanced math delimiters.

LaTeX written through a normal Python string loses its backslashes: "\\times"
becomes a TAB and "imes", "\\frac" a form feed and "rac". Such text still
renders, wrongly, so it is caught here.
"""

import json
import re
import statistics
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

FENCED_CODE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.DOTALL)


def markdown_problems(text):
    """What is wrong with a Markdown cell's text, as a list of short messages (empty when fine)."""
    problems = []
    for index, character in enumerate(text):
        if character != "\n" and unicodedata.category(character) == "Cc":
            context = text[max(0, index - 25) : index + 15]
            problems.append(f"control character {character!r} in {context!r}")
    prose = CODE_SPAN.sub("", FENCED_CODE.sub("", text)).replace("\\$", "")
    if prose.count("$$") % 2:
        problems.append("an odd number of $$ (display math opened but not closed)")
    inline = DISPLAY_MATH.sub("", prose)
    if inline.count("$") % 2:
        problems.append("an odd number of $ (inline math opened but not closed)")
    return problems


def markdown_cells(path):
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"]
            yield cell.get("id"), "".join(source) if isinstance(source, list) else source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_markdown_has_no_control_characters_and_balanced_math(path):
    found = {cell_id: problems for cell_id, text in markdown_cells(path) if (problems := markdown_problems(text))}
    assert not found, f"{path.name}: {found}"


def test_the_checker_rejects_a_broken_times():
    broken = "by $4.4 " + chr(9) + "imes 10^{-5}$ on average"
    assert any("control character" in problem for problem in markdown_problems(broken))
    assert markdown_problems(broken.replace(chr(9), "\\t")) == []


def test_the_checker_counts_math_delimiters_outside_code():
    assert markdown_problems("$a$ and $$b$$, `$HOME`, costs \\$5") == []
    assert markdown_problems("```bash\necho $HOME\n```\n$x$") == []
    assert markdown_problems("an open $x") != []
    assert markdown_problems("$$ x = 1") != []
    assert markdown_problems("a line\nand another\n") == []


#: The notebooks that train MNIST networks, whose lesson cells should read as the book's Keras lines.
MNIST_LESSONS = [path for path in NOTEBOOKS if path.name[:2] in {"04", "05", "06", "07", "09", "11"}]
#: The longest median lesson code cell allowed (handson-ml3's chapter 10: compile in 3 lines, fit in 2).
MEDIAN_LESSON_CELL_LINES = 6


def lesson_cell_lengths(notebook):
    """Non-blank lines of every code cell before the "What we saw" section of a notebook (nbformat JSON)."""
    lengths = []
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown" and source.lstrip().startswith("## What we saw"):
            break
        if cell["cell_type"] == "code":
            lengths.append(sum(1 for line in source.splitlines() if line.strip()))
    return lengths


def test_lesson_cell_lengths_stop_at_what_we_saw():
    cell = {"cell_type": "code", "source": ["a = 1\n", "\n", "b = 2"]}
    notebook = {"cells": [cell, {"cell_type": "markdown", "source": "## What we saw\n"}, cell]}
    assert lesson_cell_lengths(notebook) == [2]


def test_median_lesson_cell_of_the_mnist_notebooks_is_short():
    assert len(MNIST_LESSONS) == 6
    lengths = [length for path in MNIST_LESSONS for length in lesson_cell_lengths(json.loads(path.read_text()))]
    median = statistics.median(lengths)
    assert median <= MEDIAN_LESSON_CELL_LINES, (
        f"median lesson code cell of the MNIST notebooks: {median} lines over {len(lengths)} cells "
        f"(at most {MEDIAN_LESSON_CELL_LINES}); split long cells so compile, fit and evaluate read as the book's"
    )


if __name__ == "__main__":  # the figures the test checks, per notebook: python tests/test_notebook_text.py
    every = []
    for path in MNIST_LESSONS:
        lengths = lesson_cell_lengths(json.loads(path.read_text()))
        every += lengths
        print(f"{path.name:<34} {len(lengths):>3} lesson code cells, median {statistics.median(lengths):g} lines")
    print(f"{'all':<34} {len(every):>3} lesson code cells, median {statistics.median(every):g} lines")
