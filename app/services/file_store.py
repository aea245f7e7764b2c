"""Where the sealed files of documents are kept (issue 18): never in the database. The local
store is a folder (APP_DOCUMENT_DIR); a file is written whole under a temporary name and then
renamed, so that a name is a whole file or nothing. The S3 store is a bucket of an S3-compatible
object store (APP_DOCUMENT_STORE=s3), reached with aioboto3, with timeouts and retries; an
object is written whole by one PUT, so there too a name is a whole file or nothing."""

import asyncio
import os
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from app.config import Settings

READ_CHUNK = 64 * 1024


class FileStore(Protocol):
    async def put(self, name: str, chunks: Iterable[bytes]) -> None: ...

    def read(self, name: str) -> AsyncIterator[bytes]: ...

    async def delete(self, name: str) -> None: ...

    async def exists(self, name: str) -> bool: ...

    def stored(self) -> AsyncIterator[tuple[str, datetime]]:
        """Every file's name and when it was written (to find those no row names)."""
        ...


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

    async def stored(self) -> AsyncIterator[tuple[str, datetime]]:
        for path in await asyncio.to_thread(lambda: sorted(self.root.glob("*/*"))):
            if path.name.isalnum():  # not a partial write
                written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                yield path.name, written


class S3FileStore:
    """Sealed files as the objects of one bucket. The credentials are the AWS SDK's own (its
    environment variables, profile or instance role) unless the settings give them."""

    def __init__(self, settings: Settings) -> None:
        import aioboto3  # type: ignore[import-untyped] # loaded only where S3 is used
        from botocore.config import Config  # type: ignore[import-untyped]

        secret = settings.document_s3_secret_access_key
        self._session = aioboto3.Session(
            aws_access_key_id=settings.document_s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            region_name=settings.document_s3_region,
        )
        self._endpoint = settings.document_s3_endpoint_url
        self.bucket = settings.document_s3_bucket
        self._config = Config(
            connect_timeout=3,
            read_timeout=30,
            retries={"max_attempts": 4, "mode": "standard"},
        )

    def _client(self) -> Any:
        return self._session.client("s3", endpoint_url=self._endpoint, config=self._config)

    async def put(self, name: str, chunks: Iterable[bytes]) -> None:
        async with self._client() as s3:
            await s3.put_object(Bucket=self.bucket, Key=name, Body=b"".join(chunks))

    async def read(self, name: str) -> AsyncIterator[bytes]:
        from botocore.exceptions import ClientError  # type: ignore[import-untyped]

        async with self._client() as s3:
            try:
                found = await s3.get_object(Bucket=self.bucket, Key=name)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                    raise FileNotFoundError(name) from None
                raise OSError(f"the document store answered {type(exc).__name__}") from None
            async for chunk in found["Body"].iter_chunks(READ_CHUNK):
                yield chunk

    async def delete(self, name: str) -> None:
        async with self._client() as s3:
            await s3.delete_object(Bucket=self.bucket, Key=name)

    async def exists(self, name: str) -> bool:
        from botocore.exceptions import ClientError

        async with self._client() as s3:
            try:
                await s3.head_object(Bucket=self.bucket, Key=name)
            except ClientError:
                return False
            return True

    async def stored(self) -> AsyncIterator[tuple[str, datetime]]:
        async with self._client() as s3:
            pages = s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
            async for page in pages:
                for found in page.get("Contents", []):
                    yield found["Key"], found["LastModified"]


def store_for(settings: Settings) -> FileStore:
    """The store the settings choose: the local folder, or the S3 bucket."""
    if settings.document_store == "s3":
        return S3FileStore(settings)
    return LocalFileStore(settings.document_dir)
