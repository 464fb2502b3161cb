"""Text from the data made inert before it reaches a report's Markdown, HTML or links.

A directorate, an item's or a reaction statement's text, a topic or a group comes from the raw
files (the registry, the codebook, the exports) and may hold anything: ``<script>``, an
``<img onerror=...>``, a ``[link](javascript:...)``, ``$...$`` or ``*``. The report's Markdown is
rendered by nbconvert with raw HTML passed through, so every data text that goes into Markdown
passes :func:`md_text`; every link built from an id passes :func:`safe_href`. Tables shown as
HTML are escaped by ``DataFrame.to_html`` (``escape=True``), the index by Jinja2's autoescape,
and figures draw their text without mathtext (``text.parse_math`` off in the theme).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

__all__ = ["md_text", "safe_href"]

#: Characters that Markdown (CommonMark with nbconvert's plugins) gives a meaning inside a line:
#: emphasis, code, links and images, strikethrough, tables, math, closing ``#`` of a heading,
#: and ``:`` (so that ``http://...`` in a text is not made a link).
_MD_INLINE = re.compile(r"([\\`*_\[\]~|$:#!])")
#: What makes a line a list item, a quote, a heading or a thematic break when it starts it.
_MD_LINE_START = re.compile(r"^([-+=]|\d+[.)])")  # ">" becomes "&gt;" anyway


def md_text(text: object) -> str:
    """``text`` from the data as Markdown that shows it literally, on one line.

    HTML's ``& < > " '`` become character references, the Markdown characters that would
    format, link or start math get a backslash (which Markdown removes when rendering, so the
    reader sees the text as written), a line-starting list, quote or heading mark is escaped,
    and line breaks become spaces (a blank line would end the sentence's block). Ordinary text
    is left as it is.

    Example:
        >>> md_text("Pejë-Gjakovë and Border"), md_text("K05 Which ...?")
        ('Pejë-Gjakovë and Border', 'K05 Which ...?')
        >>> md_text('<img src=x onerror="alert(1)">')
        '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
        >>> print(md_text("[x](javascript:alert(1)) $a$ *b*"), md_text("1. a"))
        \\[x\\](javascript\\:alert(1)) \\$a\\$ \\*b\\* 1\\. a
    """
    s = " ".join(str(text).split())
    s = _MD_INLINE.sub(r"\\\1", s)
    s = _MD_LINE_START.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], s)
    return html.escape(s, quote=True)


def safe_href(href: str) -> str:
    """A relative link as a URL path that no browser reads as a scheme (``javascript:``...).

    Every character outside letters, digits and ``/ . _ - ~`` is percent-encoded, so ``:`` can
    never introduce a scheme and nothing can close a Markdown link or an HTML attribute.

    Example:
        >>> safe_href("../sq/W1/report.html"), safe_href("javascript:alert(1)/report.html")
        ('../sq/W1/report.html', 'javascript%3Aalert%281%29/report.html')
    """
    return quote(str(href), safe="/")
