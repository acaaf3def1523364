"""The Inno Setup script, read on Linux (ISCC.exe needs Windows): the sections and
files it names exist, its Pascal blocks are balanced, and the data, firewall and
notices promises are in it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "build" / "windows" / "bib-station.iss"


def _text() -> str:
    return ISS.read_text(encoding="utf-8")


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^\[(\w+)\]\s*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_the_sections_inno_setup_knows_and_the_files_it_names() -> None:
    sections = _sections(_text())
    known = {"Setup", "Languages", "Tasks", "Dirs", "Registry", "Files", "InstallDelete", "Icons", "Run",
             "UninstallRun", "Code"}
    assert set(sections) <= known, set(sections) - known
    assert (ISS.parent / ".." / ".." / "LICENSE").resolve().is_file()
    # the notices file is made by station.spec into the bundle the installer packs
    assert "InfoBeforeFile={#BundleDir}\\_internal\\THIRD_PARTY_NOTICES.txt" in sections["Setup"]
    spec = (ROOT / "station.spec").read_text(encoding="utf-8")
    assert "NOTICES_FILE" in spec and "a.datas.append((NOTICES_FILE" in spec


def test_every_task_used_is_declared_and_continued_lines_are_complete() -> None:
    text = _text()
    sections = _sections(text)
    declared = set(re.findall(r'^Name: "(\w+)"', sections["Tasks"], flags=re.M))
    used = set(re.findall(r"Tasks: (\w+)", text))
    assert used <= declared, used - declared
    for section, body in sections.items():
        if section == "Code":
            continue
        logical = re.sub(r"\\\n\s*", "", body)
        for line in logical.splitlines():
            if line.strip() and not line.startswith(";"):
                assert line.count('"') % 2 == 0, f"[{section}] unbalanced quotes: {line}"


def test_the_pascal_code_is_balanced_and_never_deletes_another_account_s_data() -> None:
    code = _sections(_text())["Code"]
    code = re.sub(r"\{[^}]*\}", "", code)  # comments
    code = re.sub(r"'[^']*'", "''", code)  # strings
    opens = len(re.findall(r"\bbegin\b", code, flags=re.I))
    closes = len(re.findall(r"\bend\b", code, flags=re.I))
    assert opens == closes, (opens, closes)
    assert "WizardIsTaskSelected" not in code  # not available to the uninstaller
    assert "DelTree(DataFolder" in code and "(DataFolder <> '')" in code


def test_the_firewall_rule_is_added_for_the_hub_and_removed_on_uninstall() -> None:
    sections = _sections(_text())
    assert "advfirewall firewall add rule" in sections["Run"] and "localport={#HubPort}" in sections["Run"]
    assert "advfirewall firewall delete rule" in sections["UninstallRun"]
    from station.commands.hub import DEFAULT_PORT

    assert f'#define HubPort "{DEFAULT_PORT}"' in _text()
