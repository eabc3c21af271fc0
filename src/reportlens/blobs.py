"""How the library stores integer arrays: as little-endian bytes (never pickle), most of them compactly.

Most of a library's bytes are token arrays, and writing them is most of the cost of adding a report, so:
term ids are plain int32 (``plain``); offsets and sentence numbers, which only grow, are the steps between
them (``steps``); counts take the narrowest type that holds them (``narrow``); part numbers are runs (``runs``).
Each ``from_…`` / ``widen`` / ``read_plain`` reads back what its partner wrote.
"""

from __future__ import annotations

import numpy as np

# Blob dtypes, little-endian whatever the machine.
I32, U16, U8 = np.dtype("<i4"), np.dtype("<u2"), np.dtype("u1")


def plain(array: np.ndarray, dtype: np.dtype) -> bytes:
    return np.ascontiguousarray(array, dtype=dtype).tobytes()


NARROW_TYPES: dict[int, np.dtype] = {1: U8, 2: U16, 4: I32}  # bytes a value → the type ``narrow`` chose


def narrow(values: np.ndarray) -> bytes:
    """Integers (int32 range) in the narrowest of uint8, uint16 and int32 that holds them all; ``widen`` reads
    them back knowing how many there are."""
    low, high = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    dtype = I32 if low < 0 or high > 0xFFFF else U16 if high > 0xFF else U8
    return plain(values, dtype)


def widen(blob: bytes, count: int) -> np.ndarray:
    """The ``count`` integers ``narrow`` wrote."""
    return np.frombuffer(blob, dtype=NARROW_TYPES[len(blob) // count]) if count else np.zeros(0, dtype=I32)


def steps(values: np.ndarray) -> bytes:
    """A growing sequence (offsets, sentence numbers) as its first value and the steps after it, through ``narrow``:
    mostly one byte a value instead of four."""
    return narrow(np.diff(values, prepend=0))


def from_steps(blob: bytes, count: int) -> np.ndarray:
    return np.cumsum(widen(blob, count), dtype=np.int64).astype(np.int32)


RUN_BYTES = U16.itemsize + I32.itemsize


def runs(values: np.ndarray) -> bytes:
    """Part numbers (uint16) as runs: every run's value, then every run's length (int32). A report's tokens run
    through its parts in text order, so a report has one run a part."""
    if not len(values):
        return b""
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    lengths = np.diff(np.append(starts, len(values)))
    return plain(values[starts], U16) + plain(lengths, I32)


def from_runs(blob: bytes) -> np.ndarray:
    count = len(blob) // RUN_BYTES
    values = np.frombuffer(blob, dtype=U16, count=count)
    return np.repeat(values, np.frombuffer(blob, dtype=I32, offset=count * U16.itemsize))


def read_plain(blob: bytes, dtype: np.dtype) -> np.ndarray:
    return np.frombuffer(blob, dtype=dtype)
