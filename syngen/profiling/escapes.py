"""How a text column writes characters as HTML entities. Scraped tables keep them: every apostrophe of a drugs.com
review is "&#039;" ("I couldn&#039;t sleep"), never a plain one. A generated text is written the same way: a
character the real texts always escape is escaped, an entity they never use is written as its character, and an
"&" that starts no entity of theirs ("&#039%;", "&#256;" from the embedded model) is a wrong format.

Python's `html.unescape` reads the entities; which ones a column uses, and for which characters, is learned here
from its real texts (no library says how one table escapes).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
MIN_ENTITY_SHARE = 0.01  # of real texts holding entities, for entities to be the column's way of writing
RARE_SHARE = 0.005  # of real texts holding a character raw, below which the column always escapes it
STRAY_CHARS = 8  # of the text shown from a stray "&"


@dataclass(frozen=True)
class Escapes:
    entities: frozenset[str]  # the entities the real texts use ("&#039;", "&amp;")
    escaped: dict[str, str]  # character -> its entity, for characters the real texts (almost) never hold raw
    bare_ampersand: bool  # the real texts hold "&" outside an entity ("Tom & Jerry")
    loose: re.Pattern[str]  # an "&" starting none of `entities`; compiled once: `apply` runs on every partial text

    def apply(self, text: str) -> str:
        """`text` written as the column writes: unknown entities as characters, escaped characters as entities."""
        text = _ENTITY.sub(lambda m: m.group(0) if m.group(0) in self.entities else html.unescape(m.group(0)), text)
        for char, entity in self.escaped.items():
            # An "&" already starting one of the column's entities stays as it is. An entity holds no backslash, so
            # it is a literal replacement.
            text = self.loose.sub(entity, text) if char == "&" else text.replace(char, entity)
        return text

    def stray(self, text: str) -> str | None:
        """The piece of `text` from an "&" that starts none of the column's entities, where every real "&" does."""
        found = None if self.bare_ampersand else self.loose.search(text)
        return text[found.start(): found.start() + STRAY_CHARS] if found else None


def learn_escapes(texts: list[str]) -> Escapes | None:
    """None when (almost) no real text holds an entity: then the column writes its characters as they are."""
    if not texts:
        return None
    docs = Counter(entity for text in texts for entity in set(_ENTITY.findall(text)))
    holding = sum(bool(_ENTITY.search(text)) for text in texts)
    if holding / len(texts) < MIN_ENTITY_SHARE:
        return None
    bare = [_ENTITY.sub("", text) for text in texts]
    escaped: dict[str, str] = {}
    for entity, count in docs.most_common():
        char = html.unescape(entity)
        if (len(char) == 1 and char not in escaped and count / len(texts) >= MIN_ENTITY_SHARE
                and sum(char in text for text in bare) / len(texts) < RARE_SHARE):
            escaped[char] = entity
    known = "|".join(re.escape(entity[1:]) for entity in sorted(docs, key=len, reverse=True))
    return Escapes(frozenset(docs), escaped, sum("&" in text for text in bare) / len(texts) >= RARE_SHARE,
                   re.compile(rf"&(?!(?:{known}))"))
