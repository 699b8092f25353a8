"""Batch runs of the notebooks: run plans, the runner, results records and the book's table.

Run it as ``python -m helpers.batch PLAN.yaml ...`` (see :mod:`helpers.batch.runner`).
"""
