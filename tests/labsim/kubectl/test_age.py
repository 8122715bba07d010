"""HumanDuration against the values the real apimachinery function produced (humanduration.tsv)."""
import csv
import os

import pytest

from labsim.kubectl.printers.age import human_duration, short_human_duration

TSV = os.path.join(os.path.dirname(__file__), "..", "..", "data", "humanduration.tsv")


def rows():
    with open(TSV) as f:
        return [r for r in csv.reader(f, delimiter="\t") if r]


@pytest.mark.parametrize("row", rows(), ids=lambda r: r[0])
def test_human_duration_matches_apimachinery(row):
    seconds = float(row[0].rstrip("s"))  # rows like "1.999s" are Go durations
    assert human_duration(seconds) == row[1]
    if len(row) > 2:
        assert short_human_duration(seconds) == row[2]
