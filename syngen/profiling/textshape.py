"""What a real text column looks like on its surface, so generated text that does not can be caught:
characters the column (almost) never uses (braces, brackets, template markers), markup tags it (almost) never
holds (`</p>` in a column whose only tag is `<br />`), another column's name followed by a colon, words of the
prompt's own instructions that real texts (almost) never use, in any of their forms ("example" for "examples"),
a clause said twice ("Good product! Great product! Good product!") where real texts (almost) never repeat one,
and how often real texts end a sentence.

All of it is learned from the real column; nothing here lists our prompt's words or any schema's names.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice, pairwise

import pandas as pd

from syngen.profiling.escapes import Escapes, learn_escapes
from syngen.profiling.labels import phrase  # one normal form for fixed phrases, copies and whole values

RARE_SHARE = 0.005  # a character or `name:` marker in fewer real texts than this is foreign to the column
RARE_WORD_SHARE = 0.001  # words are rarer than characters: only one (almost) never used is foreign
COUNTED_MARKS = ",;:()@&"
MIN_FIXED_TEXTS = 50  # texts enough to say that every one holds a mark as often
FIXED_MARK_WORDS = 8  # a column of names and labels (median words), not of sentences
MIN_TEXTS = 20  # fewer real texts cannot say which everyday marks ("/", "#", "$") are rare, only template markup
MIN_WORD_TEXTS = 300  # fewer cannot say what words are: a small table's vocabulary misses most of a language
# Nor can fewer distinct words say that an everyday word is foreign: 450 templated questions of 297 distinct words
# never said "would", "about" or "different", and answers using them were refused as prompt fragments (real
# tables of a few hundred texts hold thousands of words: the demo's 420 reviews 1,305, the supplements' 3,965).
MIN_VOCABULARY = 1000
MIN_FINAL_TEXTS = 2  # a word ending one real text may be a cut one; ending two, the table's phrases end so
MAX_FINAL_TEXTS = 20_000  # texts read for the words phrases end on: enough for any language's common ones
MIN_DANGLING_TEXTS = 10  # a word must be this common before never ending a text says anything
# A phrase is pushed to close only after a word that ends at least this share of the real texts and sentences
# holding it: "feel" and "after" end a few supplements sentences, 3% and 2% of their uses, and pushed there the
# embedded model's titles stopped mid-phrase ("It just didn't feel"); "taste", "it", "far" end 27%, 14%, 21%.
MIN_CLOSING_SHARE = 0.1
# A value this many real texts are, and (almost) none goes on from ("Five Stars", 156 of the supplements' titles,
# never "Five Stars, love it"), is a whole value: the model carried it on ("Five Stars, 12.9%") in 6 of 80 rows.
MIN_WHOLE_VALUE_TEXTS = 20
# Real texts end on "the" or "a" now and then (a cut review, "Vitamin A"): a few in a thousand of the supplements
# texts and titles holding "the" end on it. A word that common (in 5% of texts or more) marks a cut text if it
# ends fewer than 2% of them.
COMMON_WORD_SHARE = 0.05
AFFIX_SHARE = 0.98  # of real texts opening (closing) with the same symbols: every generated one must
AFFIX_CHARS = 3
COMMON_DANGLING_SHARE = 0.02
MIN_WORD_LETTERS = 5  # shorter instruction words ("the", "with", "real") are everyday words in any text
# English function words that end no phrase ("... with a high dose of mystery and can be", "... to help users who
# have"). A table of noun phrases (package summaries) uses too few of them to show it, so they are known here; one
# that a real text of the table does end on is left out ("Works as it should" is a whole title).
ENGLISH_NEVER_FINAL = frozenset({
    "a", "an", "the", "and", "or", "nor", "but", "of", "to", "for", "with", "from", "by", "into", "onto", "than",
    "via", "whose", "whom", "which", "who", "can", "could", "would", "shall", "might", "must", "be", "been", "being",
    "are", "were", "has", "have", "had", "whether", "because", "although", "whereas", "if", "their", "my", "your",
    "our",
})
_ENGLISH_MARKERS = ("the", "and", "of", "to", "for", "with")
ENGLISH_MARKER_SHARE = 0.2  # of texts holding the commonest of the markers: the column is written in English
WHOLE_SHARE = 0.5  # a column whose real texts mostly end a sentence must end one too
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PHRASE_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # "i'd" whole, not "d"
_LAST_WORD = re.compile(rf"(?<![^\W\d_'’]){_PHRASE_WORD.pattern}$")  # the word a text ends on, whole
_CLOSING = " .!?…)\"'”’"  # what a sentence ends with after its last word
_SENTENCE_MARKS = ".!?…。！？"
_ENDING = re.compile(r"""[.!?…。！？]["'”’)\]]*$""")
_SENTENCE_END = re.compile(r"""[.!?…。！？]["'”’)\]]*(?=\s|$)""")
_ALPHANUMERIC = re.compile(r"(?<![^\W_])[^\W_]{6,}(?![^\W_])")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]{0,80}?(/?)>")
_CLAUSE_BREAK = re.compile(r"[.!?…。！？,;:]+|<br\s*/?>", re.IGNORECASE)
# "good product at a great price. Great Product at a great price." (a quick start's row): 0 of 420 demo reviews say
# a 4-word phrase again within 20 words, 0.7% of the supplements reviews ("i have been taking"), so this share.
PHRASE_WORDS, PHRASE_WINDOW, PHRASE_REPEAT_SHARE = 4, 20, 0.01
_PHRASE_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
MIN_CLAUSE_WORDS = 2  # "Great!" twice is emphasis; "Good product!" twice is a model going round in circles
MIN_CODE_SWITCHES = 3  # letters and digits taking turns this often make a code (B07XK7N5D4), not "B12" or "500mg"
_LETTERED_NUMBER = re.compile(r"^[^\W\d_]+\d{5}")  # letters, then a long number: a code too (B37251689, not 10000IU)
# A calendar date with its year, as a date column writes it ("2017-05-18", "05/18/2017", "18.05.2017").
_DATE = re.compile(r"(?<![\w.:/-])(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})(?![\w/-])")
_TRAILING_OFF = re.compile(r"(?:\.{2,}|…)\s*$")
_FINAL_FULL_STOP = re.compile(r"(?<![.\s])\.\s*$")  # one full stop, not an ellipsis
_MARKER_PAIR = re.compile(r"(?=([{}\[\]<>%#|$]{2}))")
_OPENER_OF = {")": "(", "]": "[", "}": "{"}
_CLOSER_OF = {v: k for k, v in _OPENER_OF.items()}
_LIST_MARKER = re.compile(r"(?:^|\s)[^\W_]{1,2}$")  # "1" or "a" before ")": a list's item, not an aside
_BLANK_LINES = re.compile(r"\n{2,}")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_MARK_RUN = re.compile(r"[.!?]{3,}")
_ALTERNATING_MARKS = re.compile(r"[!?]\.[!?]|\.[!?]\.")  # "it!!!!.!.!.!": no writer's emphasis, a model's loop
_SYMBOL_OPENING = re.compile(r"""^[^\w"'“‘«(¿¡]+""")  # "> My favorite", "- Great": not a quote or a bracket


def words(text: str) -> set[str]:
    return set(_WORD.findall(str(text).lower()))


def word_pairs(text: str) -> set[tuple[str, str]]:
    """Each two words in a row ("real example")."""
    found = _WORD.findall(str(text).lower())
    return set(pairwise(found))


def word_triples(text: str) -> set[tuple[str, str, str]]:
    """Each three words in a row ("on a scale")."""
    found = _WORD.findall(str(text).lower())
    return set(zip(found, found[1:], found[2:], strict=False))


def word_runs(text: str) -> set[tuple[str, ...]]:
    """Each two and three words in a row (read once: asked at every sentence end of a text being written)."""
    found = _WORD.findall(str(text).lower())
    return set(pairwise(found)) | set(zip(found, found[1:], found[2:], strict=False))


def word_forms(word: str) -> set[str]:
    """A word and its plural or singular ("example" for "examples", "entry" for "entries"): a model echoes an
    instruction in either. Handwritten because English plurals are all a prompt's frame needs, and a stemmer
    library would bring its data with it."""
    forms = {word, word + "s"}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    elif word.endswith("s"):
        forms.add(word[:-1])
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    return forms


def tag_spellings(texts: list[str], known: frozenset[str]) -> dict[str, str]:
    """Tag name -> how the real texts write it, for a known tag they write in one form alone: the supplements
    reviews break lines as "<br />" in 8% of texts, and the model wrote "<br>", "</br>" and "</br/>" for it (7 of
    37 prompt fragments, 60 rows, seed 11). A paired tag ("<b>", "</b>") has two forms and no single spelling."""
    signatures: dict[str, set[str]] = {}
    spellings: dict[str, Counter] = {}
    for text in texts:
        for match in _TAG.finditer(text):
            name = match.group(2).lower()
            signatures.setdefault(name, set()).add(_tag_form(*match.groups()))
            spellings.setdefault(name, Counter())[match.group(0)] += 1
    return {name: spellings[name].most_common(1)[0][0] for name, forms in signatures.items()
            if len(forms) == 1 and forms <= known}


def tags(text: str) -> set[str]:
    """The markup tags in `text` by form, attributes and spaces left out (`<br />` -> "<br/>", `</strong>` ->
    "</strong>", `<a href="...">` -> "<a>"): a column whose only tag is `<br />` writes no `</br />` or `<br>`."""
    return {_tag_form(*found) for found in _TAG.findall(str(text))}


def _tag_form(close: str, name: str, empty: str) -> str:
    return f"<{close}{name.lower()}{empty}>"


def tidy(text: str, line_breaks: bool, blank_lines: bool) -> str:
    """`text` with its runs of spaces made one; its line breaks kept if `line_breaks` (one blank line at most,
    and only if `blank_lines`), made spaces otherwise."""
    if not line_breaks:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.splitlines()]
    kept = "\n".join(lines).strip()
    return _BLANK_LINES.sub("\n\n" if blank_lines else "\n", kept)


def _first_marks(run: re.Match) -> str:
    """A run of marks as its writer began it: its first mark as often as it opens with it, where it alternates."""
    marks = run.group()
    if not _ALTERNATING_MARKS.search(marks):
        return marks
    return marks[: len(marks) - len(marks.lstrip(marks[0]))]


def marker_pairs(text: str) -> set[str]:
    """Two template-marker characters in a row ("{{", "{%", "]]", "${"): a column may use braces and still never
    hold a template's markers."""
    return {m.group(1) for m in _MARKER_PAIR.finditer(text)}


def repeated_clauses(text: str) -> list[str]:
    """The clauses of two or more words that `text` says more than once, in lower case, in order of appearance."""
    clauses = [" ".join(_WORD.findall(part.lower())) for part in _CLAUSE_BREAK.split(str(text))]
    counts = Counter(clause for clause in clauses if len(clause.split()) >= MIN_CLAUSE_WORDS)
    return [clause for clause, n in counts.items() if n > 1]


def repeated_phrase(text: str) -> str | None:
    """The first phrase of PHRASE_WORDS words that `text` says again within PHRASE_WINDOW words, lower case."""
    tokens = _PHRASE_TOKEN.findall(str(text).lower())
    seen: dict[tuple[str, ...], int] = {}
    for at in range(len(tokens) - PHRASE_WORDS + 1):
        phrase = tuple(tokens[at: at + PHRASE_WORDS])
        first = seen.setdefault(phrase, at)
        if PHRASE_WORDS <= at - first <= PHRASE_WINDOW:
            return " ".join(phrase)
    return None


def ends_sentence(text: str) -> bool:
    stripped = str(text).rstrip()
    return bool(_ENDING.search(stripped)) or _ends_with_symbol(stripped)


def _ends_with_symbol(text: str) -> bool:
    """Emoji and other symbols end a text as a full stop does (real posts often end with one)."""
    return bool(text) and unicodedata.category(text[-1]).startswith("S")


def sentence_ends(text: str) -> list[int]:
    """Indices just past each sentence end in `text` (its end too, when it ends with a symbol such as an emoji)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    stripped = text.rstrip()
    if ends_sentence(stripped) and (not ends or ends[-1] < len(stripped)):
        ends.append(len(stripped))
    return ends


@dataclass
class TextShape:
    """The surface of one real text column."""

    column: str
    rare_chars: frozenset[str]
    word_share: dict[str, float]  # share of real texts containing each word
    field_markers: list[re.Pattern] = field(default_factory=list)  # "other column:" never seen in real text
    whole_share: float = 1.0  # share of real texts that end a sentence
    judged: bool = True  # False: too few real texts to say what is rare
    judges_words: bool = False  # enough real texts to call a word rare (short and common words never are)
    rich_vocabulary: bool = False  # and enough distinct words to call an everyday instruction word foreign
    dangling: frozenset[str] = frozenset()  # common words real texts (almost) never end on: "the", "and", "of"
    final_words: frozenset[str] = frozenset()  # words that end several of the table's texts or sentences ("it")
    unended: frozenset[str] = frozenset()  # English function words no real sentence ends on ("can be.", "with a.")
    closing_words: frozenset[str] = frozenset()  # those of them that end a good share of their uses ("taste")
    open_words: frozenset[str] = frozenset()  # common words that do not ("container"): a phrase ending on one was cut
    codes_foreign: bool = False  # real texts (almost) never hold a code such as another column's ID
    dates_foreign: bool = False  # nor a dated stamp such as another column's date ("One Star, 2017-05-18")
    known_tags: frozenset[str] = frozenset()  # markup tags real texts hold often enough to be their own
    repeats_foreign: bool = False  # real texts (almost) never say one clause twice
    phrase_repeats_foreign: bool = False  # nor a phrase again a few words on ("at a great price ... at a great price")
    trailing_foreign: bool = False  # real texts (almost) never trail off with an ellipsis
    opening_foreign: bool = False  # real texts (almost) never open with a symbol ("> ", "- ", ": ")
    capital_opening: bool = False  # real texts (almost) never open with a small letter (news summaries; not reviews)
    full_stop_foreign: bool = False  # real texts (almost) never end on a full stop (demo titles, package summaries)
    brackets_close: bool = False  # real texts (almost) always close the brackets they open
    opener: str = ""  # the symbols (almost) every real text opens with: "(" of a signature, "['" of a list
    closer: str = ""  # and closes with: ")", "']"
    closers_match: bool = False  # real texts (almost) never close a bracket they did not open ("unstable}")
    known_pairs: frozenset[str] = frozenset()  # template-marker pairs ("{{", "{%", "]]") real texts hold often enough
    quotes_pair: bool = False  # real texts (almost) always pair their double quotes ('the "premium" plan')
    alternating_foreign: bool = False  # real texts (almost) never alternate full stops and "!" ("!.!.!")
    line_breaks: bool = False  # real texts break lines (a changelog's bullets), so a generated one keeps its breaks
    blank_lines: bool = False  # and leave blank lines between paragraphs
    whole_values: frozenset[str] = frozenset()  # values (as `phrase` writes them) real texts never go on from
    fixed_marks: dict[str, int] = field(default_factory=dict)  # marks every real text holds as often ("Braund, Mr.
    # Owen Harris": one comma), once or more
    escapes: Escapes | None = None  # the HTML entities the real texts write characters as ("couldn&#039;t")
    tag_spellings: dict[str, str] = field(default_factory=dict)  # tag name -> its one real form ("br": "<br />")

    def _spelled(self, tag: re.Match) -> str:
        """A tag of a name the real texts write in one form alone, written in that form ("</br>" -> "<br />")."""
        return self.tag_spellings.get(tag.group(2).lower(), tag.group(0))

    @property
    def must_end_whole(self) -> bool:
        return self.whole_share >= WHOLE_SHARE

    def tidy(self, text: str) -> str:
        """`text` laid out as the column's real texts are (`tidy`), a run of marks alternating full stops with
        "!" or "?" cut to its first marks where real texts (almost) never hold one ("it!!!!.!.!.!" -> "it!!!!")."""
        tidied = tidy(text, self.line_breaks, self.blank_lines)
        tidied = self.escapes.apply(tidied) if self.escapes is not None else tidied
        tidied = _TAG.sub(self._spelled, tidied) if self.tag_spellings else tidied
        return _MARK_RUN.sub(_first_marks, tidied) if self.alternating_foreign else tidied

    def formatted(self, text: str) -> bool:
        """`text` opens and closes as (almost) every real text of the column does (a signature's brackets)."""
        wrapped = self.opener + self.closer
        return text.startswith(self.opener) and text.endswith(self.closer) and len(text) >= len(wrapped)

    @property
    def sentence_wrapper(self) -> tuple[str, str]:
        """For a column of sentences, the symbols (almost) every real text is wrapped in, the closer without its
        sentence end ('"' of a review quoted whole, '"It works."'); ("", "") for any other column."""
        closer = self.closer.lstrip(_SENTENCE_MARKS)
        if not (self.must_end_whole and self.opener and closer):  # "* " opening every bullet list wraps nothing
            return "", ""
        return self.opener, closer

    def unwrapped(self, text: str) -> str:
        """A text of sentences out of its `sentence_wrapper`, as much of it as it holds: trimmed to a sentence end
        in it, '"It works." It is a lifesaver' lost its closing quote."""
        opener, closer = self.sentence_wrapper
        if not opener:
            return text
        text = text.strip()
        text = text[len(opener):] if text.startswith(opener) else text
        return (text[: -len(closer)] if text.endswith(closer) else text).strip()

    def wrapped(self, text: str) -> str:
        """`text` in its `sentence_wrapper`, once: a trimmed text may end on the closing quote its writer put."""
        opener, closer = self.sentence_wrapper
        return f"{opener}{self.unwrapped(text)}{closer}" if opener or closer else text

    def closed_early(self, text: str) -> str:
        """A wrapped text that closes its opening bracket before its end, cut there ("(stream, mode) raises a
        type)" -> "(stream, mode)"), in a column whose real texts never close a bracket they did not open: what
        follows the match is another value's start, not this one's."""
        bracket = self.opener[:1]
        if not (self.closers_match and bracket in _CLOSER_OF and text.startswith(self.opener)):
            return text
        depth = 0
        for at, char in enumerate(text):
            depth += (char == bracket) - (char == _CLOSER_OF[bracket])
            if depth == 0:
                kept = text[: at + 1]
                return kept if kept.endswith(self.closer) else text
        return text

    def miscounted_mark(self, text: str) -> tuple[str, int, int] | None:
        """(mark, times held, times every real text holds it) for a mark of `fixed_marks` a text holds otherwise."""
        return next(((mark, text.count(mark), times) for mark, times in self.fixed_marks.items()
                     if text.count(mark) != times), None)

    def unpaired_quote(self, text: str) -> bool:
        """A finished text leaves a double quote unpaired (`plan is "good"" I guess`) where real ones never do."""
        return self.judged and self.quotes_pair and text.count('"') % 2 == 1

    def ends_openly(self, text: str) -> bool:
        """A text without a final full stop that still reads as ended: on a letter or digit, not on a word
        real texts never end on (a real review often ends "... works for me"), its brackets closed."""
        stripped = text.rstrip()
        found = _WORD.findall(stripped[-40:].lower())
        return (bool(stripped) and stripped[-1].isalnum() and bool(found) and found[-1] not in self.dangling
                and self.unclosed(stripped) is None)

    def whole_ends(self, text: str) -> list[int]:
        """`sentence_ends(text)` less those inside a bracket still open there ("... on average (1."), in a
        column whose real texts close their brackets, and those after a function word no real sentence ends on
        ("Good, but taking it with food can be.": the model put a full stop where its thought broke off)."""
        ends = [end for end in sentence_ends(text) if not self._ends_unfinished(text[:end])]
        return [end for end in ends if self.unclosed(text[:end]) is None] if self.brackets_close else ends

    def _ends_unfinished(self, sentence: str) -> bool:
        word = sentence_last_word(sentence)
        # "well-being." ends on a whole word: the hyphen's part is no function word
        return word in self.unended and not sentence.rstrip(_CLOSING)[: -len(word)].endswith("-")

    def unclosed(self, text: str) -> int | None:
        """Where the first bracket `text` opens and never closes stands, in a column whose real texts close
        theirs; None when all close (or the column's texts leave some open)."""
        return unclosed_bracket(text) if self.brackets_close else None

    def common_dangling(self) -> frozenset[str]:
        """The dangling words common enough to be function words ("the", "for", "very"): a text its writer closed
        on one was still going ("The best vitamin for the"). A rarer one says less: the demo's "quality" is in 15
        texts and ends none, and "Great product, good quality" was cut back to "Great product, good"."""
        return frozenset(w for w in self.dangling
                         if w in ENGLISH_NEVER_FINAL or self.word_share.get(w, 0.0) >= COMMON_WORD_SHARE)

    def ends_on_unknown_word(self, text: str) -> bool:
        """The text's last word is one no real text of the table uses ("... without the jit")."""
        tokens = text.split()
        last = tokens[-1] if tokens else ""
        found = _WORD.findall(last.lower())
        return self.judges_words and last[-1:].isalpha() and bool(found) and found[-1] not in self.word_share

    def ends_on_stray_letter(self, text: str) -> bool:
        """The text ends on a lone small letter that does not end two of the table's texts or sentences ("The best
        way to get your o"): a word broken off, not "Vitamin D" nor "So do I"."""
        stripped = text.rstrip()
        return (self.judges_words and len(stripped) > 1 and stripped[-1].isalpha() and stripped[-1].islower()
                and stripped[-2].isspace() and stripped[-1] not in self.final_words)

    def ends_on_known_word(self, text: str) -> bool:
        """The text's last word is a whole word the table's texts use ("damaged", not "Banan" or "5")."""
        tokens = text.split()
        last = (tokens[-1] if tokens else "").lower().rstrip(",;:&/(")  # not "-": "Anti-" is broken
        return self.judges_words and bool(_WORD.fullmatch(last)) and last in self.word_share

    def trailed_off(self, text: str) -> str | None:
        """`text` without the ellipsis it trails off with ("Great price for a..."), in a column whose real texts
        (almost) never end so; None when it does not."""
        found = _TRAILING_OFF.search(text) if self.judged and self.trailing_foreign else None
        return text[: found.start()].rstrip() if found else None

    def cut_to_whole_value(self, text: str) -> str:
        """`text` cut back to the whole value it opens with and goes on from ("Five Stars, Organic, 2018" ->
        "Five Stars"), where real texts never go on from that value; `text` itself otherwise."""
        if not self.whole_values or not self.judged:
            return text
        written = phrase(text)
        if not any(written.startswith(value + " ") for value in self.whole_values):
            return text  # every text passes here: one normal form, not one per word
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        for count in range(1, len(spans)):
            if phrase(text[: spans[count - 1][1]]) in self.whole_values:
                return text[: spans[count - 1][1]].rstrip(" ,;:-&/(")
        return text

    def without_full_stop(self, text: str) -> str:
        """`text` without the full stop it ends on, in a column whose real texts (almost) never end on one
        ("Great product." -> "Great product", as the demo's 420 titles are written)."""
        return _FINAL_FULL_STOP.sub("", text) if self.judged and self.full_stop_foreign else text

    def opened_plainly(self, text: str) -> str:
        """`text` without the symbols it opens with ("> My favorite" -> "My favorite"), in a column whose real
        texts (almost) never open so, and with a capital first letter where they (almost) never open without
        one ("the central bank launches ..." among news summaries; 7% of the supplements' reviews open small)."""
        if self.judged and self.opening_foreign:
            text = _SYMBOL_OPENING.sub("", text)
        if self.judged and self.capital_opening and text[:1].islower():
            text = text[0].upper() + text[1:]
        return text

    def repeats(self, text: str) -> list[str]:
        """The clauses `text` says twice, and a phrase it says again a few words on, in a column whose real texts
        (almost) never do."""
        found = repeated_clauses(text) if self.judged and self.repeats_foreign else []
        phrase = repeated_phrase(text) if self.judged and self.phrase_repeats_foreign else None
        return found + [phrase] if phrase and phrase not in found else found

    def allowed_chars(self) -> str | None:
        """A regular-expression class of every character but the column's rare markup (None: nothing rare)."""
        if not self.judged or not self.rare_chars:
            return None
        return "[^" + "".join(re.escape(c) for c in sorted(self.rare_chars)) + "]"

    def fragments(self, text: str, instruction_words: set[str] = frozenset(),
                  instruction_pairs: set[tuple[str, ...]] = frozenset()) -> list[str]:
        """What in `text` the real column (almost) never contains: characters, `name:` markers, and words
        of the instructions, or two of them in a row ("a real example"), that real texts do not use."""
        if not self.judged:
            return []
        found = sorted({c for c in text if c in self.rare_chars})
        found += [m.pattern for m in self.field_markers if m.search(text)]
        found += sorted(tags(text) - self.known_tags)
        found += sorted(pair for pair in marker_pairs(text) - self.known_pairs if not set(pair) & self.rare_chars)
        stray = stray_closer(text) if self.closers_match else None
        if stray is not None and stray not in self.rare_chars:
            found.append(stray)
        if self.codes_foreign:
            found += codes(text)
        if self.dates_foreign:
            found += _DATE.findall(text)
        if self.judges_words and self.rich_vocabulary:
            found += sorted(w for w in words(text) & instruction_words
                            if len(w) >= MIN_WORD_LETTERS and self.word_share.get(w, 0.0) < RARE_WORD_SHARE)
        # Pairs were learned as foreign to the table however few its texts (`_foreign_pairs`).
        found += sorted(" ".join(run) for run in word_runs(text) & instruction_pairs)
        return found


def learn_text_shape(texts: pd.Series, column: str, all_columns: list[str],
                     vocabulary: pd.Series | None = None, dangling: frozenset[str] | None = None,
                     ends: PhraseEnds | None = None) -> TextShape:
    """`vocabulary`: the texts whose words count as the table's language (all its text columns: a title's
    few words say little about which words are normal); default `texts`. `dangling`: the table's words no
    text ends on (`dangling_words` of all its text cells, learned once for every column); default from `texts`.
    `ends`: where its texts and their sentences stop (`phrase_ends`, likewise); default from `texts`."""
    present = [t for t in texts.astype(str) if t.strip()]
    count = max(1, len(present))
    if not present:
        return TextShape(column, frozenset(), {}, judged=False)
    # Only markup characters can be foreign: letters, digits and emoji of any language are the text itself. A few
    # texts (fewer than MIN_TEXTS) that never hold "/", "#" or "$" do not show them foreign, but template markup.
    candidates = _MARKUP_CANDIDATES if len(present) >= MIN_TEXTS else _TEMPLATE_MARKUP
    char_docs = Counter(c for t in present for c in set(t) if c in candidates)
    rare = frozenset(c for c in candidates if char_docs.get(c, 0) / count < RARE_SHARE)
    known = [t for t in (vocabulary if vocabulary is not None else texts).astype(str) if t.strip()]
    word_docs = Counter(w for t in known for w in words(t))
    markers = [_marker(name) for name in all_columns]
    markers = [m for m in markers if m is not None and sum(bool(m.search(t)) for t in present) / count < RARE_SHARE]
    whole = sum(ends_sentence(t) for t in present) / count
    tag_docs = Counter(tag for t in present for tag in tags(t))
    known_tags = frozenset(tag for tag, n in tag_docs.items() if n / count >= RARE_SHARE)
    pair_docs = Counter(pair for t in present for pair in marker_pairs(t))
    return TextShape(column, rare, {w: n / len(known) for w, n in word_docs.items()}, markers, whole,
                     judges_words=len(known) >= MIN_WORD_TEXTS, rich_vocabulary=len(word_docs) >= MIN_VOCABULARY,
                     dangling=(dangling := dangling_words(present) if dangling is None else dangling),
                     final_words=(ends := phrase_ends(present) if ends is None else ends).final - dangling,
                     closing_words=ends.closing - dangling,
                     unended=(dangling & ENGLISH_NEVER_FINAL) - sentence_final_words(present),
                     open_words=ends.open,
                     codes_foreign=sum(bool(codes(t)) for t in present) / count < RARE_SHARE,
                     dates_foreign=sum(bool(_DATE.search(t)) for t in present) / count < RARE_SHARE,
                     known_tags=known_tags, tag_spellings=tag_spellings(present, known_tags),
                     closers_match=sum(stray_closer(t) is not None for t in present) / count < RARE_SHARE,
                     known_pairs=frozenset(p for p, n in pair_docs.items() if n / count >= RARE_SHARE),
                     repeats_foreign=sum(bool(repeated_clauses(t)) for t in present) / count < RARE_SHARE,
                     phrase_repeats_foreign=sum(map(bool, map(repeated_phrase, present))) / count < PHRASE_REPEAT_SHARE,
                     trailing_foreign=sum(bool(_TRAILING_OFF.search(t)) for t in present) / count < RARE_SHARE,
                     opening_foreign=sum(bool(_SYMBOL_OPENING.match(t.strip())) for t in present) / count < RARE_SHARE,
                     capital_opening=sum(t.strip()[:1].islower() for t in present) / count < RARE_SHARE,
                     full_stop_foreign=sum(bool(_FINAL_FULL_STOP.search(t)) for t in present) / count < RARE_SHARE,
                     brackets_close=sum(unclosed_bracket(t) is not None for t in present) / count < RARE_SHARE,
                     quotes_pair=sum(t.count('"') % 2 for t in present) / count < RARE_SHARE,
                     alternating_foreign=sum(bool(_ALTERNATING_MARKS.search(t)) for t in present) / count < RARE_SHARE,
                     line_breaks=sum("\n" in t.strip() for t in present) / count >= RARE_SHARE,
                     blank_lines=sum(bool(_BLANK_LINE.search(t.strip())) for t in present) / count >= RARE_SHARE,
                     opener=(opener := _affix(stripped := [t.strip() for t in present], opening=True)),
                     closer=_wrapping_closer(opener, _affix(stripped, opening=False)),
                     whole_values=whole_values(present),
                     fixed_marks=fixed_marks(present),
                     escapes=learn_escapes(present))


def fixed_marks(texts: list[str]) -> dict[str, int]:
    """The marks of COUNTED_MARKS that (almost) every text holds the same number of times, once or more: Titanic's
    names ("Surname, Title. Given names") hold one comma each, and the model wrote "Staneff, Mr., Stanko Gustaf".
    Sentence marks are left out: a text may say one sentence or three; so are texts of sentences, whose marks
    vary with what they say."""
    if len(texts) < MIN_FIXED_TEXTS or statistics.median(len(text.split()) for text in texts) > FIXED_MARK_WORDS:
        return {}
    found = {}
    for mark in COUNTED_MARKS:
        times, held = Counter(text.count(mark) for text in texts).most_common(1)[0]
        if times >= 1 and held / len(texts) >= 1 - RARE_SHARE:
            found[mark] = times
    return found


def whole_values(texts: list[str]) -> frozenset[str]:
    """The values MIN_WHOLE_VALUE_TEXTS or more real texts are (as `phrase` writes them) that fewer than
    RARE_SHARE of the texts opening with them go on from."""
    phrases = sorted(phrase(t) for t in texts)
    counts = Counter(phrases)
    found = set()
    for value, n in counts.items():
        if not value or n < MIN_WHOLE_VALUE_TEXTS:
            continue
        # Sorted, the texts going on from `value` are one run: found by bisection, not a pass over every text.
        going_on = bisect_left(phrases, value + "!") - bisect_left(phrases, value + " ")
        if going_on / (n + going_on) < RARE_SHARE:
            found.add(value)
    return frozenset(found)


def _affix(texts: list[str], opening: bool) -> str:
    """The longest run of symbols (up to AFFIX_CHARS, no letter, digit or space) that AFFIX_SHARE of `texts`
    open with (`opening`) or close with; "" when none."""
    found = ""
    for length in range(1, AFFIX_CHARS + 1):
        ends = Counter(t[:length] if opening else t[-length:] for t in texts if len(t) > length)
        if not ends:
            break
        affix = ends.most_common(1)[0][0]
        held = sum((t.startswith if opening else t.endswith)(affix) for t in texts)
        if any(c.isalnum() or c.isspace() for c in affix) or held < AFFIX_SHARE * len(texts):
            break
        found = affix
    return found


def _wrapping_closer(opener: str, closer: str) -> str:
    """`closer`, if it closes what wraps the text; "" if it shuts a bracket `opener` did not open: then it ends an
    aside inside the text ("Tandem 2007 Touriga Nacional (Alentejano)"), and held as a wrapper it made the
    embedded model's wine titles "Ponzi 2008)" (the aside cut off, the closer put back) on a table of our own."""
    return "" if any(c in _OPENER_OF and _OPENER_OF[c] not in opener for c in closer) else closer


def unclosed_bracket(text: str) -> int | None:
    """Where the first round or square bracket `text` opens and never closes stands; None when all close. A
    frown (":(") opens nothing."""
    opened: list[int] = []
    for at, char in enumerate(text):
        if char in "([" and not (at and text[at - 1] in ":;="):
            opened.append(at)
        elif char in ")]" and opened:
            opened.pop()
    return opened[0] if opened else None


def stray_closer(text: str) -> str | None:
    """The first bracket `text` closes without having opened it ("Upload to unstable} 1.0.3"); a smiley (":)",
    ":(") and a list marker ("1)", "a)") open and close nothing."""
    depth = dict.fromkeys("([{", 0)
    for at, char in enumerate(text):
        after = text[at - 1] if at else " "
        if char in depth and after not in ":;":
            depth[char] += 1
        elif char in _OPENER_OF and after not in ":;=" and not (char == ")" and _LIST_MARKER.search(text, 0, at)):
            if not depth[_OPENER_OF[char]]:
                return char
            depth[_OPENER_OF[char]] -= 1
    return None


def codes(text: str) -> list[str]:
    """Tokens of letters and digits taking turns (product IDs, hashes): a model copies them from other columns."""
    return [token for token in _ALPHANUMERIC.findall(str(text))
            if _switches(token) >= MIN_CODE_SWITCHES or _LETTERED_NUMBER.match(token)]


def _switches(token: str) -> int:
    return sum(a.isdigit() != b.isdigit() for a, b in pairwise(token))


@dataclass(frozen=True)
class PhraseEnds:
    """Where the table's phrases stop: words that end at least `MIN_FINAL_TEXTS` of its texts or their sentences
    ("Works for me", "... it helped a lot."), and words in `MIN_DANGLING_TEXTS` texts or more that do not
    ("container", "surprised to"): a phrase ending on one was cut."""

    final: frozenset[str] = frozenset()
    open: frozenset[str] = frozenset()
    closing: frozenset[str] = frozenset()  # final words ending MIN_CLOSING_SHARE or more of their uses


def phrase_ends(texts: Iterable[str]) -> PhraseEnds:
    """Learned from the first `MAX_FINAL_TEXTS` texts."""
    last: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for text in islice(map(str, texts), MAX_FINAL_TEXTS):
        starts = [0, *sentence_ends(text)]
        pieces = (text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True))
        last.update({word for piece in pieces if (word := sentence_last_word(piece))})
        found = _PHRASE_WORD.findall(text.lower())
        docs.update(set(found))
        uses.update(found)
    final = frozenset(w for w, n in last.items() if n >= MIN_FINAL_TEXTS)
    closing = frozenset(w for w in final if last[w] >= MIN_CLOSING_SHARE * uses[w])
    return PhraseEnds(final, frozenset(w for w, n in docs.items() if n >= MIN_DANGLING_TEXTS and w not in final),
                      closing)


def sentence_final_words(texts: Iterable[str]) -> frozenset[str]:
    """The words real sentences end on with a full stop, "!" or "?" (not a trailing "and ..."), in the first
    `MAX_FINAL_TEXTS` texts."""
    found: set[str] = set()
    for text in islice(map(str, texts), MAX_FINAL_TEXTS):
        found.update(word for end in sentence_ends(text) if not _TRAILING_OFF.search(text[:end])
                     and (word := sentence_last_word(text[:end])))
    return frozenset(found)


def sentence_last_word(sentence: str) -> str | None:
    """The word a sentence ends on before its closing marks ("... can be." -> "be")."""
    return last_word(sentence.rstrip(_CLOSING))


def last_word(text: str) -> str | None:
    """The word `text` ends on, lowercased, with its apostrophes ("i'd", not "d"); None if it ends on no letter."""
    found = _LAST_WORD.search(text.lower())
    return found.group() if found else None


def first_word(text: object) -> str:
    """The word a text opens with, as written, without the punctuation after it ("Great!" -> "Great"); "" unless it
    is a plain word of letters (and apostrophes: "I've"), which any continuation can follow."""
    parts = str(text).split(maxsplit=1)
    word = parts[0].rstrip(".,;:!?") if parts else ""
    return word if _PHRASE_WORD.fullmatch(word) else ""


def dangling_words(texts: Iterable[str]) -> frozenset[str]:
    """Words in many real texts that (almost) none ends on: a text ending on one was cut off."""
    present = [t for t in map(str, texts) if t.strip()]
    docs = Counter(w for t in present for w in words(t))
    last = Counter(found[-1] for t in present if (found := _WORD.findall(t.lower())))
    common = COMMON_WORD_SHARE * len(present)
    learned = frozenset(w for w, n in docs.items() if n >= MIN_DANGLING_TEXTS and (
        last.get(w, 0) / n < RARE_SHARE or (n >= common and last.get(w, 0) / n < COMMON_DANGLING_SHARE)))
    if not _reads_english(docs, len(present)):
        return learned
    return learned | frozenset(w for w in ENGLISH_NEVER_FINAL if not last.get(w))


def _reads_english(docs: Counter, texts: int) -> bool:
    return texts > 0 and max(docs.get(w, 0) for w in _ENGLISH_MARKERS) >= ENGLISH_MARKER_SHARE * texts


# Characters that template text, JSON and markup are made of; a real column that uses one keeps it.
_MARKUP_CANDIDATES = frozenset("{}[]<>|#$\\_*`~^=@\"/")
# Of them, those prose (almost) never holds: where none of a column's few texts holds one, neither may a new one.
# Before, a column of fewer than MIN_TEXTS was not judged at all: on a 14-row table of reviews the embedded model
# wrote a title "Ten Stars, 5.9/10 (on a scale of 1-5)'} This entry is very close!".
_TEMPLATE_MARKUP = frozenset("{}[]<>|\\`~^=")


def _marker(name: str) -> re.Pattern | None:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        return None
    return re.compile(rf"(?<!\w){re.escape(cleaned)}\s*[:=]", re.IGNORECASE)
