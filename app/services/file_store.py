"""Where the sealed files of documents are kept (issue 18): never in the database. The local
store is a folder (APP_DOCUMENT_DIR); a file is written whole under a temporary name and then
renamed, so that a name is a whole file or nothing."""

import asyncio
import os
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Protocol

READ_CHUNK = 64 * 1024


class FileStore(Protocol):
    async def put(self, name: str, chunks: Iterable[bytes]) -> None: ...

    def read(self, name: str) -> AsyncIterator[bytes]: ...

    async def delete(self, name: str) -> None: ...

    async def exists(self, name: str) -> bool: ...


class LocalFileStore:
    """Sealed files in a folder, two levels deep by the name's first characters; readable by
    the service's own user only."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        if not name.isalnum():  # the names are the documents' ids: nothing else is a path here
            raise ValueError("a stored file's name is letters and digits")
        return self.root / name[:2] / name

    async def put(self, name: str, chunks: Iterable[bytes]) -> None:
        await asyncio.to_thread(self._put, self._path(name), chunks)

    @staticmethod
    def _put(path: Path, chunks: Iterable[bytes]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_name(f".{path.name}.partial")
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)

    async def read(self, name: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(self._path(name).open, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, READ_CHUNK):
                yield chunk
        finally:
            await asyncio.to_thread(handle.close)

    async def delete(self, name: str) -> None:
        await asyncio.to_thread(self._path(name).unlink, missing_ok=True)

    async def exists(self, name: str) -> bool:
        return await asyncio.to_thread(self._path(name).exists)
