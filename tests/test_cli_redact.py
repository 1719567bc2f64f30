"""document monitoring-form --no-child-details as a real process: the child's details
and each --redact phrase are taken out of the typed text, and it says how many."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader

from tests.test_cli_seals import data, demo, run

__all__ = ["data", "demo"]  # the fixtures, shared with the seal tests


def test_the_form_without_the_child_and_phrases_added(data: Path, tmp_path: Path) -> None:
    rows = json.loads(run("list", "--data-file", str(data), "--json").stdout)
    ref = next(
        r["ref"]
        for r in rows
        if (r["child"], r["policy"], r["status"]) == ("Zoë Nguyễn", "gloucestershire", "open")
    )
    pdf = tmp_path / "form.pdf"
    made = run(
        "document", "monitoring-form", ref, "--data-file", str(data), "--out", str(pdf),
        "--no-child-details", "--redact", "front door",
    )  # fmt: skip
    assert made.returncode == 0
    assert re.search(r"Took \d+ mentions? of the child's details out of the", made.stdout)
    text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages
    )
    assert "Zoë" not in text and "front door" not in text and "[redacted]" in text
