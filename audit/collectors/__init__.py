"""Collectors: one package per platform, one module per export format, and the registry.

Each platform package (``x``, ``facebook``, ``mastodon``...) keeps its formats and the record-to-row
mapping they share together, and defines ``PLATFORM``; :mod:`audit.collectors.registry` lists them
and detects an export's format. Every collector writes the canonical table of
:mod:`audit.collectors.table`.
"""
