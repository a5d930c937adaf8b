"""The production static files storage: WhiteNoise's hashed names with gzip and brotli copies, but brotli at the
quality of ops/data/static.yaml, because the collect step runs on every `pathcraft migrate` (each upgrade)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import brotli
import yaml
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

DATA_FILE = Path(__file__).parent / "data" / "static.yaml"


@cache
def brotli_quality() -> int:
    return int(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["brotli_quality"]["value"])


class QuickerBrotliCompressor(Compressor):
    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        return brotli.compress(data, quality=brotli_quality())


class HashedCompressedStaticFiles(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return QuickerBrotliCompressor(**kwargs)
