"""The tiny markup of agreement text blocks, turned into escaped HTML.

Blank lines separate paragraphs; ``- `` starts a bullet (two more spaces: a nested bullet);
``1. `` a numbered item; ``## `` a sub-heading. Anything else is plain text: the body is
escaped, so an edited text block can never inject HTML into the PDF.

Words with a hyphen or slash ("Baden-Württemberg", "Kommune/Landkreis") are kept on one line:
the PDF's text layer then reads back exactly as written (a line break after the hyphen would
read as "Baden- Württemberg"), which is what the funding notice needs to stay verbatim.
"""

from __future__ import annotations

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_BULLET = re.compile(r"^(?P<indent>\s*)[-•▶]\s+(?P<text>.*)$")
_NUMBERED = re.compile(r"^\s*(?P<num>\d+)\.\s+(?P<text>.*)$")
_BREAKABLE_WORD = re.compile(r"(\S*[-/‐]\S*)")


def _join(parts) -> SafeString:
    """Concatenate pieces; plain strings are escaped, safe ones kept."""
    return format_html_join("", "{}", ((part,) for part in parts))


def keep_words_together(value: str) -> SafeString:
    """Escape ``value`` and wrap words containing ``-`` or ``/`` in a no-break span."""
    pieces = _BREAKABLE_WORD.split(value)
    # re.split with a group alternates: text, word, text, word, …
    return _join(
        format_html('<span class="nobr">{}</span>', piece) if index % 2 else piece
        for index, piece in enumerate(pieces)
        if piece
    )


def _inline(text: str) -> SafeString:
    return keep_words_together(" ".join(text.split()))


def _list_html(lines: list[str]) -> SafeString:
    """A bullet list with at most one nesting level; continuation lines join the item."""
    items: list[tuple[int, list[str]]] = []
    for line in lines:
        match = _BULLET.match(line)
        if match:
            level = 1 if len(match["indent"].expandtabs(2)) >= 2 and items else 0
            items.append((level, [match["text"]]))
        elif items:
            items[-1][1].append(line)
        else:
            items.append((0, [line]))
    # Group each top-level item with the nested items that follow it.
    groups: list[tuple[list[str], list[list[str]]]] = []
    for level, parts in items:
        if level == 0:
            groups.append((parts, []))
        else:
            groups[-1][1].append(parts)
    return format_html(
        "<ul>{}</ul>",
        _join(
            format_html(
                "<li>{}{}</li>",
                _inline(" ".join(parts)),
                format_html(
                    "<ul>{}</ul>",
                    _join(format_html("<li>{}</li>", _inline(" ".join(s))) for s in sub),
                )
                if sub
                else "",
            )
            for parts, sub in groups
        ),
    )


def _numbered_html(lines: list[str]) -> SafeString:
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        match = _NUMBERED.match(line)
        if match:
            items.append((match["num"], [match["text"]]))
        elif items:
            items[-1][1].append(line)
    start = int(items[0][0]) if items else 1
    return format_html(
        '<ol start="{}">{}</ol>',
        start,
        _join(format_html("<li>{}</li>", _inline(" ".join(parts))) for _, parts in items),
    )


def render_markup(text: str) -> SafeString:
    """Turn a text block body into HTML (escaped; see module docstring)."""
    html: list[SafeString] = []
    for chunk in re.split(r"\n[ \t]*\n", (text or "").replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].lstrip().startswith("## "):
            html.append(format_html('<h3 class="sub">{}</h3>', _inline(lines[0].lstrip()[3:])))
            lines = lines[1:]
            if not lines:
                continue
        if _BULLET.match(lines[0]):
            html.append(_list_html(lines))
        elif _NUMBERED.match(lines[0]):
            html.append(_numbered_html(lines))
        else:
            html.append(format_html("<p>{}</p>", _inline(" ".join(lines))))
    return format_html_join("\n", "{}", ((piece,) for piece in html))
