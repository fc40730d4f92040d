"""Phonetic keys for blocking names spelt differently in English, German and French. Pure functions.

The key is a string of consonant classes, in the spirit of Soundex and Cologne phonetics but tuned for
cross-language spellings of one name:

- letters that sound alike in one of the languages share a class: b/p, d/t, g/k/q/hard c, s/z/soft c/sch/sh,
  f/v/ph/pf, and "x" is "ks";
- vowels, "y" and "h" carry no class (Meyer, Maier, Mayr; John, Jon), except that a word starting with a vowel
  or an "h" keeps that fact as its first class;
- "ch" is a k-sound (Christopher, Michael, Bach) except before a vowel at the start (Charles, Chantal); "cz"
  is an s-sound, while "tz" and a "z" after l/n/r are "ts" (Schultz and Schulz meet, Heinz and Hans do not),
  so Elisabeth and Elizabeth still meet;
- a class repeated after dropping vowels counts once (Philipp, Filip).

Meyer/Maier/Meier/Mayer, Schmidt/Schmitt/Smith, Müller/Mueller/Muller, Philipp/Filip, Catherine/Katherine,
Stephen/Steven and Jon/John each share a key; like every phonetic key, this one also joins some names that
only sound alike (Meyer and Moore), so it is for blocking candidates, not for deciding a match.
"""

import re

from .normalize import fold

MAX_LENGTH = 8

_VOWELS = frozenset("aeiouy")
_DIGRAPHS = re.compile(r"sch|tch|ch|sh|ph|pf|tz|cz|c(?=[eiy])|(?<=[lnr])z")
_DIGRAPH_CLASS = {"sch": "S", "tch": "K", "ch": "K", "sh": "S", "ph": "F", "pf": "F", "tz": "TS", "cz": "S"}
_DIGRAPH_CLASS |= {"c": "S", "z": "TS"}  # soft c (Cecile); z after l/n/r (Heinz, Schwarz)
_LETTER_CLASS = str.maketrans(
    {
        **dict.fromkeys("aeiouyh", None),
        **dict.fromkeys("bp", "P"),
        **dict.fromkeys("dt", "T"),
        **dict.fromkeys("cgkq", "K"),
        **dict.fromkeys("sz", "S"),
        **dict.fromkeys("fv", "F"),
        "x": "KS",
        "j": "J",
        "l": "L",
        "m": "M",
        "n": "N",
        "r": "R",
        "w": "W",
    }
)
_REPEATS = re.compile(r"(.)\1+")
_NOT_LATIN = re.compile(r"[^a-z]")


def _digraph_class(match: re.Match[str]) -> str:
    return _DIGRAPH_CLASS[match.group()]


def _word_key(word: str) -> str:
    first = "A" if word[0] in _VOWELS else "H" if word[0] == "h" else ""
    if word.startswith("ch") and word[2:3] in _VOWELS:
        word = "S" + word[2:]
    key = _DIGRAPHS.sub(_digraph_class, word).translate(_LETTER_CLASS)
    return _REPEATS.sub(r"\1", first + key)[:MAX_LENGTH]


def phonetic(word: str | None) -> str:
    """Phonetic key of a name: ``"Meyer"`` and ``"Maier"`` -> ``"MR"``; words of a longer name keyed one by one.

    Letters outside a-z after folding (digits, other scripts) are ignored; "" when nothing is left.
    """
    words = (_NOT_LATIN.sub("", token) for token in fold(word).split())
    return " ".join(_word_key(token) for token in words if token)
