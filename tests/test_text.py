"""course_utils.text: loading and cleaning the tweets of 05 (the vocabulary, sequences, bigram
baseline and sampling are written in the notebook itself)."""

import pytest

from course_utils import text


def test_clean_text():
    s = "Great &amp; “big” day — see https://t.co/abc123 … 🇺🇸  ok"
    assert text.clean_text(s) == 'Great & "big" day - see ... ok'
    with pytest.raises(TypeError):
        text.clean_text(None)


def test_load_tweets():
    tweets = text.load_tweets(announce_source=False)
    assert len(tweets) > 15000 and all(len(t) >= 20 for t in tweets)
    chars = set(text.EOT.join(tweets))
    assert len(chars) < 100 and text.EOT in chars  # printable ASCII plus the end-of-tweet mark
    assert all(text.EOT not in t for t in tweets)  # so the mark means "end of tweet" and nothing else
