"""Figures drawn with matplotlib's object API: curves, digits, decision planes, cost landscapes."""
