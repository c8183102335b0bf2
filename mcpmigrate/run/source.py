"""Reading a source file as text, and writing it back atomically in its own encoding.

Text is decoded without newline translation, so `\\r\\n`, `\\r` and a missing final newline survive;
the encoding (BOM or PEP 263 cookie) is kept for the write.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io
import os
import re
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path

from mcpmigrate.findings import FileProblem, Location

STDIN = "-"  # the path that names standard input

CODING_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


@dataclass(frozen=True, slots=True)
class SourceFile:
    display: str
    path: Path | None  # None for standard input
    text: str
    encoding: str  # a codec name; "utf-8-sig" keeps a BOM
    digest: str  # of the bytes as read, to notice a change on disk before writing


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, display: str, path: Path | None = None) -> SourceFile | FileProblem:
    if b"\0" in data:
        return FileProblem(display, "cannot check: the file contains NUL bytes (is it a binary file?)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        cookie = next((m for line in data.splitlines()[:2] if (m := CODING_COOKIE.match(line))), None)
        if cookie is not None:
            return FileProblem(display, f"cannot decode: unknown encoding {cookie.group(1).decode('ascii', 'replace')!r}")
        # Undecodable bytes in the first two lines: decode as UTF-8 below to say exactly where.
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return FileProblem(
            display, f"cannot decode as {codecs.lookup(encoding).name}: {error.reason}", Location(row, column)
        )
    except LookupError:
        return FileProblem(display, f"cannot decode: unknown encoding {encoding!r}")
    return SourceFile(display, path, text, encoding, digest(data))


def read_source(path: Path, display: str) -> SourceFile | FileProblem:
    try:
        if path.is_dir():
            return FileProblem(display, "cannot read: is a directory")
        data = path.read_bytes()
    except OSError as error:
        if path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            if error.errno == errno.ELOOP:
                return FileProblem(display, f"cannot read: symbolic link loop (via {target})")
            if error.errno == errno.ENOENT:
                return FileProblem(display, f"cannot read: broken symbolic link (to {target}, which does not exist)")
        return FileProblem(display, f"cannot read: {error.strerror or type(error).__name__}")
    return decode(data, display, path)


def encode(source: SourceFile, text: str) -> bytes | FileProblem:
    try:
        return text.encode(source.encoding)
    except UnicodeEncodeError as error:
        return FileProblem(
            source.display, f"not written: the fixed text cannot be encoded as {source.encoding}: {error.reason}"
        )


def write_atomic(source: SourceFile, text: str) -> FileProblem | None:
    """Write `text` over the file, or return why not. Never leaves a half-written file.

    The new content goes to a temporary file in the same folder, which then replaces the target
    in one rename; a symlink is followed and its target rewritten, so the link stays a link.
    """
    assert source.path is not None
    data = encode(source, text)
    if isinstance(data, FileProblem):
        return data
    target = Path(os.path.realpath(source.path))
    try:
        current = target.read_bytes()
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError as error:
        return FileProblem(source.display, f"not written: {error.strerror or error}")
    if digest(current) != source.digest:
        return FileProblem(source.display, "not written: the file changed on disk while it was being checked")
    failure = replace_atomically(target, data, mode)
    return None if failure is None else FileProblem(source.display, f"not written: {failure}")


def replace_atomically(target: Path, data: bytes, mode: int | None = None) -> str | None:
    """Put `data` at `target` through a temporary file in the same folder and one rename, or return
    why not: a reader sees the old bytes or the new ones, never a part."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".mcpmigrate")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as error:  # including KeyboardInterrupt: the original stays, the temp goes
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            return str(error.strerror or error)
        raise
    return None


def write_text_atomic(path: Path, text: str) -> str | None:
    """Write a UTF-8 text file of our own (a baseline) atomically, keeping an existing file's mode
    (a new one gets the usual mode under the umask, not a temporary file's 0600); why not, or None."""
    try:
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        return replace_atomically(path, text.encode("utf-8"), mode)
    except OSError as error:  # the temporary file could not even be made (no such folder, no rights)
        return str(error.strerror or error)
