"""The model file: data only, deterministic, and clear errors when it is damaged."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from fairhearing.screening.model import MAGIC, MODEL_PATH, ModelFileError, read_model, write_model


def _write(path: Path, bits: int = 4) -> int:
    size = 1 << bits
    return write_model(path, bits=bits, bias=-0.5, weights=[0.1 * i for i in range(size)],
                       idf=[1.0] * size, header={"combine": {"threshold": 0.4}})


def test_a_written_model_reads_back_with_its_header(tmp_path: Path) -> None:
    _write(tmp_path / "m.gz")
    model = read_model(tmp_path / "m.gz")
    assert (model.bits, model.bias, model.header["combine"]) == (4, -0.5, {"threshold": 0.4})
    assert model.weights[3] == pytest.approx(0.3)


def test_writing_the_same_model_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    _write(tmp_path / "a.gz")
    _write(tmp_path / "b.gz")
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()


def test_the_file_holds_no_pickle(tmp_path: Path) -> None:
    _write(tmp_path / "m.gz")
    body = gzip.decompress((tmp_path / "m.gz").read_bytes())
    assert body.startswith(MAGIC)
    assert b"\x80\x04\x95" not in body[:64]  # a pickle stream would start with this


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not gzip at all", "not a readable model file"),
        (gzip.compress(b"PK something else"), "not a fairhearing screening model"),
        (gzip.compress(MAGIC + b"{broken\n"), "damaged header"),
        (gzip.compress(MAGIC + b'{"bits": 4, "bias": 0}\n' + b"\0" * 10), "expected 128 bytes"),
    ],
)
def test_a_damaged_file_is_refused_with_the_fix(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.gz"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=message) as info:
        read_model(path)
    assert "fairhearing screening train" in str(info.value)


def test_the_packaged_model_is_small_and_credits_its_data() -> None:
    assert MODEL_PATH.stat().st_size < 3 * 1024 * 1024
    header = read_model(MODEL_PATH).header
    assert "Jikeli" in header["credits"] and "HateXplain" in header["credits"]
    assert 0 < header["combine"]["threshold"] < 1
