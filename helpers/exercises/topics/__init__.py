"""One module per notebook: ``NOTEBOOK`` (its stem) and ``EXERCISES`` (its exercises, in order)."""
