"""The compact integer encodings of the library's arrays read back exactly, whatever the values."""

from __future__ import annotations

import numpy as np

from reportlens import blobs


def test_compact_arrays_read_back_exactly() -> None:
    rng = np.random.default_rng(7)
    growing = [
        np.zeros(0, np.int64), np.array([0]), np.array([70_000]), np.cumsum(rng.integers(0, 200, 500)),
        np.cumsum(rng.integers(0, 300, 500)), np.array([5, 70_005, 70_006, 140_000]), np.array([3, 3, 3]),
    ]
    for values in growing:
        blob = blobs.steps(values)
        assert blobs.from_steps(blob, len(values)).tolist() == values.tolist()
    assert len(blobs.steps(np.array([0, 10, 20]))) == 3 and len(blobs.steps(np.array([0, 300]))) == 4
    for values in (np.zeros(0, np.int64), np.array([7]), np.array([1, 1, 2, 2, 2, 0, 0, 65_535])):
        assert blobs.from_runs(blobs.runs(values.astype(np.uint16))).tolist() == values.tolist()
    for values in (np.array([0, 255]), np.array([256]), np.array([65_536, 1]), np.array([-1, 3])):
        assert blobs.widen(blobs.narrow(values), len(values)).tolist() == values.tolist()
