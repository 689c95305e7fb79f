"""course_utils.text: cleaning, character vocabulary, sequences, bigram baseline, temperature (05)."""

import numpy as np
import pytest

from course_utils import text


def test_clean_text():
    s = "Great &amp; “big” day — see https://t.co/abc123 … 🇺🇸  ok"
    assert text.clean_text(s) == 'Great & "big" day - see ... ok'
    with pytest.raises(TypeError):
        text.clean_text(None)


def test_vocab_roundtrip_and_unknown_char():
    v = text.CharVocab("hello world")
    assert len(v) == 8 and v.chars[0] == " "
    ids = v.encode("low")
    assert ids.dtype == np.int32 and v.decode(ids) == "low"
    with pytest.raises(text.UnknownCharError, match=r"'z'.*position 2.*not in the vocabulary"):
        v.encode("loz")
    with pytest.raises(KeyError):  # still a KeyError for code that expects one
        v.encode("Z")
    with pytest.raises(ValueError, match="ids must lie"):
        v.decode([0, 99])


def test_empty_corpus_is_a_clear_error():
    with pytest.raises(ValueError, match="empty"):
        text.CharVocab("")
    with pytest.raises(ValueError, match="empty"):
        text.CharVocab([])


def test_char_sequences():
    ids = np.arange(11)
    x, y = text.char_sequences(ids, length=4)
    assert x.shape == (2, 4)
    np.testing.assert_array_equal(y, x + 1)
    x, y = text.char_sequences(ids, length=4, step=1)
    assert len(x) == 7
    with pytest.raises(ValueError, match="at least 5"):
        text.char_sequences(np.arange(4), length=4)


def test_bigram_loss():
    ids = np.array([0, 1] * 50)
    # a perfectly predictable alternation: loss near zero; uniform text near log(V)
    assert text.bigram_loss(ids, ids, 2, alpha=0.01) < 0.01
    rng = np.random.default_rng(0)
    r = rng.integers(0, 5, 5000)
    assert text.bigram_loss(r, r[::-1], 5) == pytest.approx(np.log(5), abs=0.02)
    with pytest.raises(ValueError, match="outside"):
        text.bigram_loss(ids, np.array([0, 7]), 2)
    with pytest.raises(ValueError, match="at least two"):
        text.bigram_loss(ids, np.array([0]), 2)


def test_temperature():
    p = np.array([0.5, 0.3, 0.2, 0.0])
    np.testing.assert_allclose(text.apply_temperature(p, 1.0), p)
    cold = text.apply_temperature(p, 0.2)
    hot = text.apply_temperature(p, 5.0)
    assert cold[0] > 0.9 and hot[0] < 0.5 and cold[3] == 0 and hot[3] == 0
    np.testing.assert_allclose([cold.sum(), hot.sum()], 1.0)
    with pytest.raises(ValueError, match="positive"):
        text.apply_temperature(p, 0)
    rng = np.random.default_rng(0)
    draws = [text.sample_char(p, 0.05, rng) for _ in range(50)]
    assert set(draws) == {0}


def test_load_tweets():
    tweets = text.load_tweets(announce_source=False)
    assert len(tweets) > 15000 and all(len(t) >= 20 for t in tweets)
    v = text.CharVocab(text.EOT.join(tweets))
    assert len(v) < 100  # printable ASCII plus the end-of-tweet mark
