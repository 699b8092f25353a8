"""Benchmarks of the training path, run with ``make bench`` (see ``python -m benchmarks -h``).

Every comparison is measured side by side in one run: the two contenders
alternate (A B, then B A, ...) on the same machine at the same time, so a
machine whose speed drifts (shared cores) shifts both, and the ratios hold.
Wall-clock figures are reported, never asserted: the tests of this folder only
check the arithmetic and the formatting.

Parts
-----
speed    seconds per epoch of the book's network: the book's plain ``model.fit``
         vs the helpers, their ratio, test accuracies, validation cost.
floor    the arithmetic floor of that epoch: its FLOPs over this machine's
         measured matrix-multiply throughput.
latency  a live panel: from Train to the first epoch drawn, first and later runs.
memory   peak memory of every notebook's kernel with its default parameters (long).
tests    wall time of the test suite: unit tests, notebooks, browser (long).
"""
