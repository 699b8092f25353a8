"""The Markdown of every notebook: no control characters, balanced math delimiters.

LaTeX written through a normal Python string loses its backslashes: "\\times"
becomes a TAB and "imes", "\\frac" a form feed and "rac". Such text still
renders, wrongly, so it is caught here.
"""

import json
import re
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
            context = text[max(0, index - 25):index + 15]
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
    found = {cell_id: problems for cell_id, text in markdown_cells(path)
             if (problems := markdown_problems(text))}
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
