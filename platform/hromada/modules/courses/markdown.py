"""Lesson Markdown to safe HTML: markdown-it-py (CommonMark, raw HTML off), then nh3.

Two walls, as for tenancy: the Markdown parser never emits raw HTML and refuses
`javascript:` links, and nh3 (ammonia) keeps only a small set of tags and
attributes, whatever the parser let through. Pages load nothing from another
host: an image whose source is not a relative address on this site is replaced
by its description before rendering, and nh3 drops any such `src` left over.
Headings move one level down (`#` becomes `<h2>`), since the page has its own `<h1>`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "h2", "h3", "h4", "h5", "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False})


def is_relative(src: str) -> bool:
    """An address on this site: no scheme, no host (`//host`), no backslash tricks (`/\\host`)."""
    src = src.strip()
    if not src or "\\" in src or src.startswith("//"):
        return False
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc


def _replace_foreign_images(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type == "heading_open" or token.type == "heading_close":
            token.tag = f"h{min(int(token.tag[1:]) + 1, 6)}"
        if not token.children:
            continue
        children = []
        for child in token.children:
            if child.type == "image" and not is_relative(child.attrGet("src") or ""):
                text = Token("text", "", 0)
                text.content = "".join(grandchild.content for grandchild in child.children or ())
                children.append(text)
            else:
                children.append(child)
        token.children = children


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_relative(value):
        return None
    return value


def render_markdown(text: str) -> Markup:
    """The sanitised HTML of a lesson's Markdown, ready to put in a page."""
    tokens = _parser.parse(text or "")
    _replace_foreign_images(tokens)
    html = _parser.renderer.render(tokens, _parser.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )
    return Markup(clean)
