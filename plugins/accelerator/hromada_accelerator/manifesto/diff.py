"""Differences between two texts, by words: what a member sees before merging, and between revisions.

diff-match-patch compares characters; each word (and each run of spaces) is first
mapped to one character, the way its line mode maps lines, so a change reads as
whole words struck and inserted rather than scattered letters.
"""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch
from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def _encode(text: str, vocabulary: dict[str, str], words: list[str]) -> str:
    encoded = []
    for token in _TOKENS.findall(text):
        if token not in vocabulary:
            words.append(token)
            # Characters from the Private Use Area onwards: far from anything a text contains.
            vocabulary[token] = chr(0xE000 + len(words) - 1)
        encoded.append(vocabulary[token])
    return "".join(encoded)


def word_diff(before: str, after: str) -> list[tuple[int, str]]:
    """[(op, text)]: op is -1 (removed), 0 (kept) or 1 (added), by whole words."""
    vocabulary: dict[str, str] = {}
    words: list[str] = []
    a, b = _encode(before, vocabulary, words), _encode(after, vocabulary, words)
    engine = diff_match_patch()
    engine.Diff_Timeout = 2  # seconds: a manifesto is short, a pathological input is cut off
    diffs = engine.diff_main(a, b, False)
    engine.diff_cleanupSemantic(diffs)
    return [(op, "".join(words[ord(char) - 0xE000] for char in chunk)) for op, chunk in diffs]


def render(diffs: list[tuple[int, str]]) -> Markup:
    """The difference as HTML: removed words in <del>, added ones in <ins>, line breaks kept."""
    parts = []
    for op, text in diffs:
        html = escape(text).replace("\n", Markup("<br>\n"))
        parts.append(Markup("<del>{}</del>").format(html) if op < 0 else
                     Markup("<ins>{}</ins>").format(html) if op > 0 else html)
    return Markup("").join(parts)


def changed_words(diffs: list[tuple[int, str]]) -> tuple[int, int]:
    """(words added, words removed): the size of a change, shown beside a revision."""
    count = lambda text: len(text.split())  # noqa: E731
    return (sum(count(text) for op, text in diffs if op > 0), sum(count(text) for op, text in diffs if op < 0))
