"""Metrics, scores, bands, grades and verdicts from the rubric."""
