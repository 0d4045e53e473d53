"""Enrichment: what the toolkit adds to the canonical posts table (language, audience, signals).

Everything here works column-wise on polars frames, because an audit can hold millions of posts.
"""
