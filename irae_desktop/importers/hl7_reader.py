"""Streams HL7 v2 ORU^R01 files (2.3-2.5.1, MLLP framed or not, any line ends) into raw results."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import tzinfo

import hl7

from irae_desktop.importers.raw import Notice, Problem, RawPatient, RawResult, ReadItem
from irae_desktop.importers.sniff import FileFacts, open_text
from irae_desktop.importers.timeparse import TimeTextError, parse_birth_date, parse_hl7_ts

_LOINC = re.compile(r"^\d{1,7}-\d$")
_FRAMING = "\x0b\x1c\r\n"
# OBX-11 result status -> our status; the rest (D, W, X, I, N) are not usable results
_STATUS = {
    "F": "final",
    "C": "corrected",
    "P": "preliminary",
    "R": "preliminary",
    "S": "preliminary",
}
_NUMERIC_TYPES = ("NM", "SN", "ST", "TX", "FT", "")


def _part(message: hl7.Message, segment: hl7.Segment, field: int, component: int = 1) -> str:
    """Field `field`, component `component` of the first repetition, unescaped; "" if absent."""
    try:
        text = str(segment(field))
    except (IndexError, KeyError):
        return ""
    seps = message.separators
    repetition, comp_sep, sub_sep = (
        (seps[2], seps[3], seps[4]) if len(seps) > 4 else ("~", "^", "&")
    )
    components = text.split(repetition, 1)[0].split(comp_sep)
    if component > len(components):
        return ""
    value = components[component - 1].split(sub_sep, 1)[0]
    return str(message.unescape(value)) if "\\" in value else value


class Hl7Source:
    """One HL7 file; messages are read one at a time so memory stays flat."""

    layout = "hl7-v2-oru"

    def __init__(self, facts: FileFacts, zone: tzinfo):
        self.facts = facts
        self.zone = zone
        self._text, self._counter = open_text(facts)

    def fraction(self) -> float:
        return min(1.0, self._counter.bytes_read / self.facts.size) if self.facts.size else 1.0

    def close(self) -> None:
        self._text.close()

    def _messages(self) -> Iterator[tuple[int, list[str]]]:
        current: list[str] = []
        number = 0
        for raw_line in self._text:
            line = raw_line.strip(_FRAMING)
            if not line.strip():
                continue
            if line.startswith("MSH"):
                if current:
                    yield number, current
                number += 1
                current = [line]
            elif current:
                current.append(line)
            else:
                yield 0, [line]
        if current:
            yield number, current

    def items(self) -> Iterator[ReadItem]:
        for number, segments in self._messages():
            if number == 0:
                yield Problem(
                    "before the first message",
                    f"text outside any HL7 message: {segments[0][:40]!r}",
                )
                continue
            try:
                message = hl7.parse("\r".join(segments))
            except Exception as exc:
                yield Problem(f"message {number}", f"not a valid HL7 message ({exc})")
                continue
            yield from self._message_items(number, message)

    def _message_items(self, number: int, message: hl7.Message) -> Iterator[ReadItem]:
        msh = message.segment("MSH")
        control = _part(message, msh, 10) or f"#{number}"
        kind = _part(message, msh, 9)
        where = f"message {control}"
        if kind and kind != "ORU":
            yield Problem(where, f"message type {kind} is not a result message (ORU^R01); skipped")
            return
        patient: RawPatient | None = None
        obr_time: str = ""
        obr_number = 0
        obx_seen = 0
        for segment in message:
            name = str(segment[0])
            if name == "PID":
                patient, warnings = self._patient(message, segment, where)
                for warning in warnings:
                    yield Notice(where, warning)
            elif name == "OBR":
                obr_number += 1
                obr_time = _part(message, segment, 7)
            elif name == "OBX":
                obx_seen += 1
                if patient is None:
                    yield Problem(
                        f"{where} OBX {obx_seen}", "result before any PID segment: no patient"
                    )
                    continue
                yield self._result(message, segment, where, obr_number, obr_time, patient)
        if patient is not None and obx_seen == 0:
            yield patient

    def _patient(
        self, message: hl7.Message, pid: hl7.Segment, where: str
    ) -> tuple[RawPatient, list[str]]:
        warnings: list[str] = []
        mrn = _part(message, pid, 3).strip() or _part(message, pid, 2).strip()
        family, given, middle = (_part(message, pid, 5, c).strip() for c in (1, 2, 3))
        name = " ".join(p for p in (given, middle, family) if p)
        birth_text = _part(message, pid, 7)
        birth = None
        if birth_text:
            try:
                birth = parse_birth_date(birth_text)
            except TimeTextError:
                warnings.append(f"PID-7 birth date {birth_text!r} is not a valid date; ignored")
        sex = _part(message, pid, 8)
        return RawPatient(mrn, name, "", birth, sex, ref=where), warnings

    def _result(
        self,
        message: hl7.Message,
        obx: hl7.Segment,
        where: str,
        obr_number: int,
        obr_time: str,
        patient: RawPatient,
    ) -> RawResult:
        set_id = _part(message, obx, 1) or "?"
        ref = f"{where} OBR {obr_number or 1} OBX {set_id}"
        value_type = _part(message, obx, 2).upper()
        code = _part(message, obx, 3, 1).strip()
        text = _part(message, obx, 3, 2).strip()
        system = _part(message, obx, 3, 3).strip().upper()
        status_code = _part(message, obx, 11).strip().upper() or "F"
        result = RawResult(
            ref=ref,
            mrn=patient.mrn,
            code=code,
            name=text,
            unit=_part(message, obx, 6).strip(),
            range_text=_part(message, obx, 7).strip(),
            flag=_part(message, obx, 8).strip(),
            status=_STATUS.get(status_code, "withdrawn"),
            code_is_standard=system in ("LN", "LOINC") or bool(_LOINC.match(code)),
            patient=patient if (patient.name or patient.birth_date) else None,
        )
        result.column = {"value": "OBX-5", "unit": "OBX-6", "collected": "OBX-14", "test": "OBX-3"}
        if result.status == "withdrawn":
            result.value_error = f"result status {status_code} (not a final or corrected result)"
        when = _part(message, obx, 14) or obr_time
        if not when:
            result.value_error = result.value_error or "no observation time in OBX-14 or OBR-7"
        else:
            try:
                result.collected = parse_hl7_ts(when, self.zone)
            except TimeTextError as exc:
                result.value_error = result.value_error or f"collection time: {exc}"
        if value_type == "SN":
            comparator = _part(message, obx, 5, 1).strip()
            number = _part(message, obx, 5, 2).strip()
            second = _part(message, obx, 5, 4).strip()
            if second:
                result.value_error = result.value_error or (
                    f"structured value {str(obx(5))!r} is a range or ratio, not one number"
                )
            result.value_text = f"{comparator}{number}"
        elif value_type in _NUMERIC_TYPES:
            result.value_text = _part(message, obx, 5).strip()
        else:
            result.value_text = str(obx(5)) if len(obx) > 5 else ""
            result.value_error = result.value_error or f"value type {value_type} is not a number"
        return result
