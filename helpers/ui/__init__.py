"""Widget panels: controls wired to the pure functions of ``helpers.core`` and ``helpers.figures``."""
