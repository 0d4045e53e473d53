"""The HTML report: jinja2 templates with the stylesheet inlined, one self-contained file.

Post text is untrusted input (anyone can write a post the audit quotes), so the environment
autoescapes everything and runs under StrictUndefined: a template typo is an error at render
time, not a blank in a report sent to a ministry. Templates are loaded from the package only.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from audit.report.labels import GLOSSARY, name_languages

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"


@cache
def environment() -> Environment:
    """The templates' environment; `languages` names the language codes in the scorer's sentences."""
    env = Environment(
        loader=PackageLoader("audit.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["languages"] = name_languages
    env.globals["glossary"] = GLOSSARY
    return env


def stylesheet() -> Markup:
    """Our own CSS, marked safe: escaping would turn its quotes into entities, which <style> does not decode."""
    return Markup(files("audit.report").joinpath("templates", STYLESHEET).read_text(encoding="utf-8"))


def render_html(context: dict[str, Any]) -> str:
    """The whole report as one HTML document (charts as data: URIs, CSS inline)."""
    return environment().get_template(TEMPLATE).render(**context, css=stylesheet())
