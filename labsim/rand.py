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
