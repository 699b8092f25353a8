"""The lesson's machinery without any widget: MNIST, networks, training callbacks, settings and checks.

Nothing here imports ipywidgets; ``helpers.figures``, ``helpers.ui`` and
``helpers.batch`` build on this layer, never the reverse.
"""
