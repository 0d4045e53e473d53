"""The report a policy team reads: a PDF and its HTML twin, drawn from an AuditResult alone (see render.py)."""
