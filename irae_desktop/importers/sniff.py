"""Looks at a file before reading it: size, checksum, text encoding, and which format it is in."""

from __future__ import annotations

import codecs
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from irae_desktop.importers.errors import ImportFileError

FORMATS = ("csv", "hl7", "fhir")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class FileFacts:
    path: Path
    size: int
    sha256: str
    encoding: str
    format: str
    # "json" (one document) or "ndjson" for FHIR; "" otherwise
    json_shape: str = ""


def _scan(path: Path) -> tuple[int, str, str, bytes]:
    """One pass over the bytes: size, SHA-256, whether all of it is UTF-8, and the first 64 KB."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    head = b""
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if not head:
                head = chunk[:65536]
            size += len(chunk)
            digest.update(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif utf8:
        encoding = "utf-8"
    else:
        # the usual Windows export encoding; every byte decodes, so nothing is lost
        encoding = "cp1252"
    return size, digest.hexdigest(), encoding, head


def _looks_binary(head: bytes, encoding: str) -> bool:
    if encoding == "utf-16":
        return False
    sample = head[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or (13 < b < 32 and b not in (11, 28)))
    return bool(sample) and controls / len(sample) > 0.05


def _detect_format(path: Path, text: str) -> tuple[str, str]:
    stripped = text.lstrip("\ufeff \t\r\n\x0b")
    suffix = path.suffix.lower()
    if stripped.startswith("MSH") or suffix in (".hl7", ".oru"):
        return "hl7", ""
    if stripped.startswith(("{", "[")) or suffix in (".json", ".ndjson"):
        first_line = stripped.split("\n", 1)[0].strip()
        if suffix == ".ndjson" or (
            first_line.startswith("{") and first_line.endswith("}") and "\n" in stripped.strip()
        ):
            return "fhir", "ndjson"
        return "fhir", "json"
    return "csv", ""


def inspect_file(path: Path, forced_format: str = "auto") -> FileFacts:
    """Reads the file once to learn its facts; raises ImportFileError for files it cannot use."""
    if not path.exists():
        raise ImportFileError(f"{path}: no such file.")
    if path.is_dir():
        raise ImportFileError(f"{path}: is a folder, not a file.")
    try:
        size, sha, encoding, head = _scan(path)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    if size == 0 or not head.strip(b" \t\r\n\x0b\x1c\xef\xbb\xbf"):
        raise ImportFileError(f"{path.name}: the file is empty.")
    if _looks_binary(head, encoding):
        raise ImportFileError(
            f"{path.name}: this is not a text file (it looks binary: a spreadsheet, PDF or "
            "archive?). Export the results as CSV, HL7 v2 or FHIR JSON."
        )
    text = head.decode(encoding if encoding != "utf-8" else "utf-8", errors="replace")
    fmt, shape = _detect_format(path, text)
    if forced_format != "auto":
        if forced_format not in FORMATS:
            raise ImportFileError(f"Unknown format {forced_format!r}; use auto, csv, hl7 or fhir.")
        if forced_format != fmt:
            raise ImportFileError(
                f"{path.name}: --format {forced_format} was given but the file looks like {fmt}."
            )
    return FileFacts(path, size, sha, encoding, fmt, shape)


class CountingReader(io.RawIOBase):
    """A binary file wrapper that counts the bytes read, so a text reader can report progress."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.bytes_read += n
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_text(facts: FileFacts) -> tuple[io.TextIOWrapper, CountingReader]:
    """Opens the file as text in its detected encoding, keeping line endings for the CSV module."""
    counter = CountingReader(facts.path.open("rb"))
    buffered = io.BufferedReader(counter, buffer_size=_CHUNK)
    errors = "replace" if facts.encoding == "cp1252" else "strict"
    text = io.TextIOWrapper(buffered, encoding=facts.encoding, errors=errors, newline="")
    return text, counter
