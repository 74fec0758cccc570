"""`irae-desktop grade` without a database; exit codes 0, 1 and 2 (docs/architecture.md)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from irae_desktop.cli.main import main

HEADER = "analyte,value,unit,uln,lln,baseline,baseline_uln,baseline_abnormal,criteria\n"


def _write(tmp_path: Path, body: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_grades_rows_into_an_output_file(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        HEADER
        + "ALT,412,U/L,40,,,,,\n"
        + "ALT,70,U/L,40,,60,40,,\n"
        + "ALT,70,U/L,40,,60,40,false,\n"
        + "GLUCOSE,>600,mg/dL,140,70,,,,ctcae-6.0\n"
        + "TBILI,<0.1,mg/dL,1.2,,,,,\n"
        + "GLUCOSE_FASTING,8.9,mmol/L,5.5,3.9,,,,\n"
        + "CPEPTIDE,0.05,ng/mL,,,,,,\n"
        + "AST,80,U/L,,,,,,\n",
    )
    out = tmp_path / "out.csv"
    assert main(["grade", str(source), "-o", str(out)]) == 0
    rows = _read(out)
    # row 3: baseline_abnormal "false" contradicts baseline 60 > baseline_uln 40, so the
    # numbers are used (abnormal baseline: 70 is below 1.5 x baseline) with a warning
    assert [r["grade"] for r in rows] == ["3", "0", "0", "4", "0", "1", "", ""]
    shown = ["G3", "G0", "G0", "G4", "G0", "G1", "\u2013", "\u2013"]
    assert [r["grade_shown"] for r in rows] == shown
    assert "warning: baseline_abnormal says false" in rows[2]["reason"]
    assert rows[0]["reason"] == "ALT 412 U/L = 10.3 x ULN (40): grade 3, CTCAE v5.0"
    assert "below baseline rule" in rows[1]["reason"]
    assert "CTCAE v6.0" in rows[3]["reason"] and ">600" in rows[3]["reason"]
    assert "no CTCAE term" in rows[6]["reason"]
    assert "no ULN reported" in rows[7]["reason"]
    # the input columns come back unchanged, in order, followed by grade, reason, grade shown
    assert list(rows[0]) == [*HEADER.strip().split(","), "grade", "reason", "grade_shown"]
    assert rows[3]["value"] == ">600"


def test_unknown_analyte_or_unit_gives_empty_grade_reason_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(
        tmp_path,
        HEADER
        + "FERRITIN,300,ng/mL,,,,,,\n"
        + "ALT,50,mmol/L,40,,,,,\n"
        + "ALT,hemolyzed,U/L,40,,,,,\n"
        + "ALT,50,U/L,40,,,,,ctcae-9\n"
        + "ALT,130,U/L,40,,,,,\n",
    )
    out = tmp_path / "out.csv"
    assert main(["grade", str(source), "-o", str(out)]) == 1
    rows = _read(out)
    assert [r["grade"] for r in rows] == ["", "", "", "", "2"]
    assert "unknown analyte 'FERRITIN'" in rows[0]["reason"]
    assert "unit 'mmol/L' does not belong to ALT" in rows[1]["reason"]
    assert "'hemolyzed' is text" in rows[2]["reason"]
    assert "unknown criteria set 'ctcae-9'" in rows[3]["reason"]
    assert "4 of 5 rows could not be graded" in capsys.readouterr().err


def test_writes_to_standard_output_without_o(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write(tmp_path, "value,analyte,unit,uln,note\n130,ALT,U/L,40,kept\n")
    assert main(["grade", str(source)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == [
        {
            "value": "130",
            "analyte": "ALT",
            "unit": "U/L",
            "uln": "40",
            "note": "kept",
            "grade": "2",
            "reason": rows[0]["reason"],
            "grade_shown": "G2",
        }
    ]
    assert rows[0]["reason"].startswith("ALT 130 U/L = 3.2 x ULN (40): grade 2")


def test_semicolons_excel_bom_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffanalyte;value;unit;uln\nTBILI;3,7;mg/dL;1,2\n;;;\n".encode())
    out = tmp_path / "out.csv"
    assert main(["grade", str(path), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "analyte;value;unit;uln;grade;reason;grade_shown"
    assert text.splitlines()[1].split(";")[4] == "3"  # 3.7 / 1.2 = 3.1 x ULN
    assert len(text.splitlines()) == 2


def test_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_no_arguments_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["grade"])
    assert exc.value.code == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "empty"),
        ("name,result\nALT,5\n", "has no analyte, value, unit column"),
    ],
)
def test_bad_header_writes_nothing_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, message: str
) -> None:
    source = _write(tmp_path, body)
    out = tmp_path / "out.csv"
    out.write_text("previous content\n", encoding="utf-8")
    assert main(["grade", str(source), "-o", str(out)]) == 1
    assert message in capsys.readouterr().err
    # the earlier file is untouched and no temporary file is left behind
    assert out.read_text(encoding="utf-8") == "previous content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_many_rows_stream_through(tmp_path: Path) -> None:
    lines = [HEADER.strip()]
    for i in range(3000):
        lines.append(f"ALT,{40 + i % 900},U/L,40,,,,,")
    source = _write(tmp_path, "\n".join(lines) + "\n")
    out = tmp_path / "out.csv"
    assert main(["grade", str(source), "-o", str(out)]) == 0
    rows = _read(out)
    assert len(rows) == 3000
    assert rows[80]["grade"] == "1"  # 120 U/L = 3.0 x ULN: grade 1
    assert rows[81]["grade"] == "2"


def test_output_is_utf8_when_the_locale_code_page_is_not(tmp_path: Path) -> None:
    """A Windows console redirected to a file writes cp1252 unless told: ≥ would stop the export."""
    import os
    import subprocess
    import sys

    source = tmp_path / "in.csv"
    source.write_text("analyte,value,unit,uln,note\nALT,130,U/L,40,≥ 3 × ULN: Zoë\n", "utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    run = subprocess.run(
        [sys.executable, "-m", "irae_desktop", "grade", str(source)],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    rows = list(csv.DictReader(io.StringIO(run.stdout.decode("utf-8"))))
    assert rows[0]["note"] == "≥ 3 × ULN: Zoë"
    assert rows[0]["grade"] == "2"


@pytest.mark.parametrize(
    ("flag", "baseline", "baseline_uln", "grade", "said"),
    [
        # says abnormal, but 30 is not above 40: normal baseline, 130 = 3.25 x ULN is grade 2
        ("true", "30", "40", "2", "says true but baseline 30 is not above baseline_uln 40"),
        # at the ULN is not above it (decision 3): still normal
        ("yes", "40", "40", "2", "says true but baseline 40 is not above baseline_uln 40"),
        # says normal, but 100 is above 40: abnormal baseline, 130 = 1.3 x baseline is grade 0
        ("false", "100", "40", "0", "says false but baseline 100 is above baseline_uln 40"),
    ],
)
def test_a_baseline_flag_that_contradicts_the_numbers_is_overruled_with_a_warning(
    tmp_path: Path, flag: str, baseline: str, baseline_uln: str, grade: str, said: str
) -> None:
    source = _write(tmp_path, HEADER + f"ALT,130,U/L,40,,{baseline},{baseline_uln},{flag},\n")
    out = tmp_path / "out.csv"
    assert main(["grade", str(source), "-o", str(out)]) == 0
    (row,) = _read(out)
    assert row["grade"] == grade
    assert f"warning: baseline_abnormal {said}: the numbers were used" in row["reason"]


@pytest.mark.parametrize(
    ("flag", "baseline", "baseline_uln", "grade"),
    [("true", "100", "40", "0"), ("false", "30", "40", "2"), ("true", "100", "", "0")],
)
def test_a_baseline_flag_that_agrees_or_stands_alone_gives_no_warning(
    tmp_path: Path, flag: str, baseline: str, baseline_uln: str, grade: str
) -> None:
    source = _write(tmp_path, HEADER + f"ALT,130,U/L,40,,{baseline},{baseline_uln},{flag},\n")
    out = tmp_path / "out.csv"
    assert main(["grade", str(source), "-o", str(out)]) == 0
    (row,) = _read(out)
    assert row["grade"] == grade
    assert "warning" not in row["reason"]


def test_censored_and_non_fasting_rows_show_what_they_are(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        HEADER
        + "ALT,<100,U/L,40,,,,,\n"
        + "ALT,>800,U/L,40,,,,,\n"
        + "GLUCOSE,241,mg/dL,140,70,,,,\n"
        + "GLUCOSE,>200,mg/dL,140,70,,,,\n"
        + "GLUCOSE_FASTING,<2.2,mmol/L,5.5,3.9,,,,ctcae-6.0\n",
    )
    out = tmp_path / "out.csv"
    assert main(["grade", str(source), "-o", str(out)]) == 0
    rows = _read(out)
    assert [r["grade"] for r in rows] == ["0", "4", "", "", "3"]
    assert [r["grade_shown"] for r in rows] == [
        "G0\u20131",
        "G4",
        "<G3, non-fasting",
        "<G3\u20134, non-fasting",
        "G3\u20134",
    ]
    assert "grade 0 to 1: censored below 100 U/L" in rows[0]["reason"]
    assert (
        "non-fasting: below the grade 3 threshold; grades 1-2 need a fasting value"
        in (rows[2]["reason"])
    )


def test_impossible_values_get_no_grade_and_exit_1_beyond_limit_is_held(tmp_path: Path) -> None:
    # clinical reference, decision 11
    source = _write(
        tmp_path,
        "analyte,value,unit,uln,lln\n"
        "ALT,-5,U/L,40,\n"
        "GLUCOSE,0,mg/dL,99,70\n"
        "GLUCOSE,3279,mg/dL,99,70\n"
        "GLUCOSE,1500,mg/dL,99,70\n"
        "ALT,0,U/L,40,7\n",
    )
    out = tmp_path / "out.csv"

    code = main(["grade", str(source), "-o", str(out)])

    rows = _read(out)
    assert code == 1
    assert [r["grade"] for r in rows] == ["", "", "", "4", "0"]
    assert rows[0]["reason"] == "ALT -5 U/L cannot be true: no result is negative"
    assert rows[1]["reason"] == (
        "GLUCOSE 0 mg/dL cannot be true: glucose is never 0 in a living patient"
    )
    assert rows[2]["reason"].startswith("needs review: GLUCOSE 3279 mg/dL is above 2000 mg/dL")
    assert rows[3]["reason"].endswith(
        "warning: GLUCOSE 1500 mg/dL is unusual (outside 10-1000 mg/dL) but possible; "
        "graded, please check"
    )


def test_a_held_value_alone_is_not_an_input_error(tmp_path: Path) -> None:
    source = _write(tmp_path, "analyte,value,unit,uln,lln\nGLUCOSE,3279,mg/dL,99,70\n")
    out = tmp_path / "out.csv"
    assert main(["grade", str(source), "-o", str(out)]) == 0
    assert _read(out)[0]["grade"] == ""
