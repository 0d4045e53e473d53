"""The rubric: a declarative file of dimensions, metrics, targets, lexicons and verdict rules."""
