from digest.ingest.fingerprint import stories_fingerprint


def test_whitespace_quotes_and_paragraph_breaks_do_not_count():
    text = [("Kerry: ‘We Have to Negotiate’", "He said “no future\n\nfor Assad” on  Sunday.")]
    plain = [("Kerry:  'We Have to Negotiate'", 'He said "no future for Assad"\non Sunday. ')]
    assert stories_fingerprint(text) == stories_fingerprint(plain)


def test_words_order_and_the_headline_boundary_count():
    story = [("Aleppo Talks", "Envoys met on Monday."), ("Siege of Homs", "Aid arrived.")]
    assert stories_fingerprint(story) != stories_fingerprint(story[::-1])
    assert stories_fingerprint(story) != stories_fingerprint([("Aleppo Talks", "Envoys met on Tuesday."), story[1]])
    assert stories_fingerprint([("A B", "C")]) != stories_fingerprint([("A", "B C")])
