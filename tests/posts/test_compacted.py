"""After reading, the posts' lists of strings get buffers of their own (issue 13: peak memory): the same
values, less memory held."""

from __future__ import annotations

import polars as pl

from audit.posts.collect import compacted


def posts() -> pl.DataFrame:
    parsed = pl.DataFrame({"links": [[{"url": "https://t.co/a", "expanded_url": "https://example.org/" + "x" * 40}],
                                     [], None]})
    urls = parsed.select(pl.col("links").list.eval(pl.element().struct.field("expanded_url")).alias("urls"))
    return pl.DataFrame({"post_id": ["1", "2", "3"], "text": ["a", "b", None],
                         "hashtags": [["Korea", "한국"], [], None]}).hstack(urls)


def test_lists_of_strings_keep_their_values_and_types():
    table = posts()
    fresh = compacted(table)
    assert fresh.equals(table) and fresh.schema == table.schema


def test_a_table_without_lists_of_strings_is_left_as_it_is():
    plain = posts().select("post_id", "text")
    assert compacted(plain) is plain

