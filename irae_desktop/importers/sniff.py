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


# bytes Windows-1252 leaves undefined: text in it never holds them, other encodings often do
_NOT_CP1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_ENCODINGS_READ = "UTF-8 (with or without BOM), UTF-16 or Windows-1252/Latin-1"


@dataclass(frozen=True, slots=True)
class _Bytes:
    size: int
    sha256: str
    head: bytes
    # byte offset of the first byte that is not UTF-8; -1 when all of it is UTF-8
    bad_utf8_at: int
    # how many bytes Windows-1252 leaves undefined the file holds
    not_cp1252: int


def _scan(path: Path) -> _Bytes:
    """One pass over the bytes: size, SHA-256, where UTF-8 first fails, and the first 64 KB."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    bad_at = -1
    not_cp1252 = 0
    head = b""
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if not head:
                head = chunk[:65536]
            digest.update(chunk)
            if bad_at < 0:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    bad_at = size + exc.start
            if bad_at >= 0:
                not_cp1252 += sum(chunk.count(b) for b in _NOT_CP1252)
            size += len(chunk)
        if bad_at < 0:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                bad_at = size
    return _Bytes(size, digest.hexdigest(), head, bad_at, not_cp1252)


def _utf16_without_bom(head: bytes) -> str:
    """ "utf-16-le" or "utf-16-be" when NUL bytes fall in every other place, as they do in
    UTF-16 text of Latin letters and digits; "" otherwise."""
    sample = head[:8192]
    pairs = len(sample) // 2
    if not pairs or b"\x00" not in sample:
        return ""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.01 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.01 * pairs:
        return "utf-16-be"
    return ""


def _encoding(name: str, scanned: _Bytes) -> str:
    """The file's text encoding, from its byte order mark, its NUL bytes and whether it is
    valid UTF-8; ImportFileError for text in none of the encodings read."""
    head = scanned.head
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ImportFileError(
            f"{name}: the text is UTF-32, which this program does not read; save it as "
            f"{_ENCODINGS_READ}."
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        if scanned.bad_utf8_at >= 0:
            raise ImportFileError(
                f"{name}: the file says it is UTF-8 (it starts with a byte order mark) but byte "
                f"{scanned.bad_utf8_at + 1} is not UTF-8; save it again as UTF-8."
            )
        return "utf-8-sig"
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if scanned.bad_utf8_at < 0:
        return "utf-8"
    if scanned.not_cp1252:
        raise ImportFileError(
            f"{name}: the text is not in an encoding this program reads (it is not UTF-8, and "
            f"{scanned.not_cp1252} byte(s) are undefined in Windows-1252); save it as "
            f"{_ENCODINGS_READ}."
        )
    # the usual Windows export encoding, which Latin-1 text also reads as
    return "cp1252"


def _looks_binary(head: bytes, encoding: str) -> bool:
    if encoding.startswith("utf-16"):
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
        scanned = _scan(path)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    size, sha, head = scanned.size, scanned.sha256, scanned.head
    if size == 0 or not head.strip(b" \t\r\n\x0b\x1c\xef\xbb\xbf"):
        raise ImportFileError(f"{path.name}: the file is empty.")
    boms = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
    if b"\x00" in head[:8192] and not head.startswith(boms) and not _utf16_without_bom(head):
        encoding = "binary"  # NUL bytes, but not as any text encoding places them
    else:
        encoding = _encoding(path.name, scanned)
    if _looks_binary(head, encoding):
        raise ImportFileError(
            f"{path.name}: this is not a text file (it looks binary: a spreadsheet, PDF or "
            "archive?). Export the results as CSV, HL7 v2 or FHIR JSON."
        )
    text = head.decode(encoding, errors="replace")
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
