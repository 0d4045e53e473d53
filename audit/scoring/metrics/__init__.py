"""The metric catalogue: one function and one table row per metric a rubric may name."""
