"""The AuditResult: the typed JSON contract between scoring and everything that reads a result.

It imports nothing from the stages before it, so the report and the schedule can read a result without
loading the scorer, and a result carries the rubric it was scored with so that it renders on its own.
"""
