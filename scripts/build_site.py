"""Build the chapter's website: execute the notebooks that changed, then render every page with Sphinx.

    python scripts/build_site.py                       # the notebooks' own parameters -> build/site/html
    python scripts/build_site.py --parameters test     # the small test parameters -> build/site-test/html

Steps: (1) MathJax is copied from the npm package ``mathjax`` once (the maths renders without a CDN);
(2) each notebook is executed by papermill unless its cached copy is current (scripts/site_cache.py);
(3) the executed notebooks become the Sphinx sources, with the kernel-free twins of three panels
(scripts/site_pages.py); (4) Sphinx with MyST-NB and sphinx-book-theme (site/conf.py) writes the HTML,
reading again only the pages that changed. A line per step says what it did and how long it took;
``OUT/build-report.json`` keeps the same numbers.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import site_cache
import site_pages

ROOT = Path(__file__).resolve().parents[1]
CONF_DIR = ROOT / "site"
DATA_DIR = ROOT / "data" / "site"
MATHJAX_PACKAGE = "mathjax@3.2.2"
MATHJAX_FILE = "tex-svg-full.js"


def vendor_mathjax(vendor_dir):
    """Copy MathJax's single-file SVG build from the npm registry into ``vendor_dir/mathjax`` (once).

    Parameters
    ----------
    vendor_dir : path-like
        Folder the site's static files are copied from.

    Returns
    -------
    pathlib.Path
        The script's path.
    """
    target = Path(vendor_dir) / "mathjax" / MATHJAX_FILE
    if target.exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"npm not found: it fetches {MATHJAX_PACKAGE}, which renders the site's maths (install Node.js 18 or newer)"
        )
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([npm, "pack", "--silent", MATHJAX_PACKAGE], cwd=scratch, check=True, stdout=subprocess.DEVNULL)
        archive = next(Path(scratch).glob("mathjax-*.tgz"))
        shutil.unpack_archive(str(archive), scratch)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(scratch) / "package" / "es5" / MATHJAX_FILE, target)
        shutil.copy2(Path(scratch) / "package" / "LICENSE", target.parent / "LICENSE")
    return target


def sphinx_build(source_dir, html_dir, doctree_dir, vendor_dir):
    """Run Sphinx on the sources; raises ``RuntimeError`` if it fails."""
    environment = {**os.environ, "NNF_SITE_VENDOR": str(Path(vendor_dir).resolve()), "NNF_SITE_DATA": str(DATA_DIR)}
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-c",
        str(CONF_DIR),
        "-d",
        str(doctree_dir),
        str(source_dir),
        str(html_dir),
    ]
    result = subprocess.run(command, env=environment)
    if result.returncode != 0:
        raise RuntimeError(f"sphinx-build failed (exit {result.returncode}): {' '.join(command)}")


def build(parameter_set="reference", out=None, jobs=1, say=print):
    """Build the site; returns the report (what ran, how long each step took).

    Parameters
    ----------
    parameter_set : str
        ``"reference"`` (the notebooks' own parameters) or ``"test"`` (tests/notebook_parameters/).
    out : path-like, optional
        The build folder; default ``build/site`` (reference) or ``build/site-test`` (test).
    jobs : int
        Notebooks executed at once.
    say : callable
        Where progress lines go.

    Returns
    -------
    dict
        ``executed`` (stem -> seconds), ``pages_changed``, ``seconds`` per step and in all, ``html``.
    """
    if parameter_set not in site_cache.PARAMETER_SETS:
        raise ValueError(f"--parameters must be one of {', '.join(site_cache.PARAMETER_SETS)}, got {parameter_set!r}")
    out = Path(out) if out else ROOT / "build" / ("site" if parameter_set == "reference" else "site-test")
    start = time.monotonic()
    vendor_mathjax(out / "vendor")
    notebooks = site_cache.chapter_notebooks()
    executed = site_cache.execute_changed(notebooks, out / "executed", parameter_set, jobs=jobs, say=say)
    executed_at = time.monotonic()
    stems = [path.stem for path in notebooks]
    parameters = {path.stem: site_cache.notebook_parameters(path, parameter_set) for path in notebooks}
    changed = site_pages.write_sources(out / "executed", out / "source", stems, parameters, parameter_set)
    say(f"pages changed: {', '.join(changed) or 'none'}")
    sphinx_build(out / "source", out / "html", out / "doctrees", out / "vendor")
    end = time.monotonic()
    report = {
        "parameters": parameter_set,
        "executed": executed,
        "pages_changed": changed,
        "seconds": {
            "execute": round(executed_at - start, 1),
            "render": round(end - executed_at, 1),
            "total": round(end - start, 1),
        },
        "html": str(out / "html"),
    }
    (out / "build-report.json").write_text(json.dumps(report, indent=1) + "\n")
    say(
        f"site in {out / 'html'} ({report['seconds']['total']:.0f} s: executing {len(executed)} notebook(s) "
        f"{report['seconds']['execute']:.0f} s, rendering {report['seconds']['render']:.0f} s); "
        f"open {out / 'html' / 'index.html'}"
    )
    return report


def main(argv=None):
    """The command line (see the module's docstring)."""
    parser = argparse.ArgumentParser(description="Build the chapter's website (Sphinx + MyST-NB).")
    parser.add_argument(
        "--parameters",
        default="reference",
        choices=site_cache.PARAMETER_SETS,
        help="reference: the notebooks' own parameters; test: the small ones of "
        "tests/notebook_parameters/ (default reference)",
    )
    parser.add_argument("--out", help="build folder (default build/site, or build/site-test)")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks executed at once (default 1)")
    args = parser.parse_args(argv)
    try:
        build(args.parameters, args.out, args.jobs)
    except (RuntimeError, ValueError, subprocess.CalledProcessError) as error:
        print(f"make site: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
