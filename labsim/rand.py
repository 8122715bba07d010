"""Named, seeded random streams.

Every random choice in labsim (name suffixes, uids, IPs, scheduling ties, jitter) draws from a
stream named after what uses it, so adding a draw in one component never shifts another's sequence.
``random.Random`` seeded with a string is stable across processes and ``PYTHONHASHSEED`` values.
"""
from __future__ import annotations

import random

#: The alphabet of generated name suffixes (apimachinery ``util/rand.String``): no vowels,
#: no look-alike digits.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


class RandomStreams:
    def __init__(self, seed: int | str = 0):
        self.seed = seed
        self._streams: dict[str, random.Random] = {}

    def stream(self, name: str) -> random.Random:
        rng = self._streams.get(name)
        if rng is None:
            rng = self._streams[name] = random.Random(f"labsim/{self.seed}/{name}")
        return rng

    def detached(self, name: str) -> random.Random:
        """The very draws of ``stream(name)``, in a ``random.Random`` that is not kept here: freed
        with its owner (one pod) while keeping the values seeded scenarios were written with."""
        return random.Random(f"labsim/{self.seed}/{name}")

    def derive(self, name: str) -> "Stream":
        """A light stream for ``name`` (see :class:`Stream`), not kept here: for one pod or one
        container instance, freed with its owner."""
        return Stream(f"labsim/{self.seed}/{name}")

    def name_suffix(self, stream: str = "names", n: int = 5) -> str:
        """``utilrand.String(n)``: the suffix of ``generateName`` names (``web-7d4b9-x2k8q``)."""
        rng = self.stream(stream)
        return "".join(rng.choice(NAME_ALPHABET) for _ in range(n))

    def uid(self) -> str:
        """A version-4 UUID string, as the API server assigns to ``metadata.uid``."""
        rng = self.stream("uids")
        b = bytearray(rng.getrandbits(8) for _ in range(16))
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        h = b.hex()
        return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def hex(self, stream: str, n: int) -> str:
        rng = self.stream(stream)
        return "".join(rng.choice("0123456789abcdef") for _ in range(n))


class Stream:
    """A light, seeded random stream for short-lived users (one pod, one container instance).

    ``random.Random`` carries 2.5 KB of Mersenne Twister state; tens of thousands of pods or a long
    crash loop would pay that per instance. This is SplitMix64 (Steele, Lea, Flood 2014: 8 bytes of
    state) with the few methods the simulator uses. It is not cached by :class:`RandomStreams`, so
    it is freed with its owner.
    """

    __slots__ = ("_state",)
    _MASK = (1 << 64) - 1

    def __init__(self, seed_text: str):
        import hashlib

        self._state = int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:8], "big")

    def _next(self) -> int:
        self._state = (self._state + 0x9E3779B97F4A7C15) & self._MASK
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self._MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self._MASK
        return z ^ (z >> 31)

    def random(self) -> float:
        """A float in [0, 1) with 53 random bits, as ``random.random``."""
        return (self._next() >> 11) * (1.0 / (1 << 53))

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.random()

    def getrandbits(self, k: int) -> int:
        out, bits = 0, 0
        while bits < k:
            out = (out << 64) | self._next()
            bits += 64
        return out >> (bits - k)

    def randrange(self, start: int, stop: int | None = None) -> int:
        if stop is None:
            start, stop = 0, start
        n = stop - start
        if n <= 0:
            raise ValueError("empty range for randrange")
        # rejection sampling keeps the draw unbiased
        k = n.bit_length()
        while True:
            r = self.getrandbits(k)
            if r < n:
                return start + r

    def randint(self, a: int, b: int) -> int:
        return self.randrange(a, b + 1)

    def choice(self, seq):
        if not seq:
            raise IndexError("cannot choose from an empty sequence")
        return seq[self.randrange(len(seq))]
