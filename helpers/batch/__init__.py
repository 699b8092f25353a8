"""Batch runs of the notebooks: run plans, the runner, results records and the book's table.

Run it as ``python -m helpers.batch PLAN.yaml ...`` (:mod:`helpers.batch.cli`); what a batch does,
and which module does each part, is told in :mod:`helpers.batch.runner`.
"""
