"""Content-addressed file store under the data directory (``blobs/ab/abcdef…``)."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from service.errors import PayloadTooLarge, ValidationFailed

CHUNK = 1024 * 1024


class AsyncReadable(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


class BytesReader:
    """An AsyncReadable over bytes already in memory (mail attachments, OParl downloads)."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)

    async def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)


@dataclass(frozen=True)
class StagedBlob:
    """A fully received upload in a temporary file, not yet in the store."""

    temp_path: Path
    sha256: str
    size: int


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    async def stage(self, source: AsyncReadable, *, max_bytes: int) -> StagedBlob:
        """Copy an upload into a temp file, hashing it and enforcing the size limit."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := await source.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise PayloadTooLarge(too_large_message(max_bytes))
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        if size == 0:
            Path(name).unlink(missing_ok=True)
            raise ValidationFailed("Die Datei ist leer.", code="empty")
        return StagedBlob(Path(name), digest.hexdigest(), size)

    def keep(self, staged: StagedBlob) -> Path:
        """Move a staged upload to its content address (a no-op when it is already there)."""
        target = self.path_for(staged.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            staged.temp_path.unlink(missing_ok=True)
        else:
            os.replace(staged.temp_path, target)
        return target

    @staticmethod
    def discard(staged: StagedBlob) -> None:
        staged.temp_path.unlink(missing_ok=True)


def too_large_message(max_bytes: int) -> str:
    return f"Die Datei ist zu groß. Erlaubt sind höchstens {max_bytes / (1024 * 1024):.0f} MB."
