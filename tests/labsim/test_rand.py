"""Seeded random streams: stable across processes, independent by name, light per-instance streams."""
from labsim.rand import NAME_ALPHABET, RandomStreams, Stream


def test_named_streams_are_independent_and_reproducible():
    a, b = RandomStreams(3), RandomStreams(3)
    assert [a.stream("x").random() for _ in range(3)] == [b.stream("x").random() for _ in range(3)]
    assert a.stream("y").random() != RandomStreams(3).stream("x").random()
    assert RandomStreams(4).name_suffix() != RandomStreams(3).name_suffix()
    assert all(ch in NAME_ALPHABET for ch in a.name_suffix())


def test_light_streams_are_deterministic_and_well_behaved():
    s1, s2 = RandomStreams(1).derive("pod/abc"), RandomStreams(1).derive("pod/abc")
    draws = [s1.random() for _ in range(1000)]
    assert draws == [s2.random() for _ in range(1000)]
    assert all(0.0 <= d < 1.0 for d in draws)
    assert 0.4 < sum(draws) / len(draws) < 0.6
    s = Stream("x")
    assert {s.randrange(3) for _ in range(200)} == {0, 1, 2}
    assert all(1.5 <= s.uniform(1.5, 2.5) < 2.5 for _ in range(100))
    assert s.choice("abc") in "abc" and 5 <= s.randint(5, 6) <= 6
    assert RandomStreams(1).derive("a").random() != RandomStreams(1).derive("b").random()
