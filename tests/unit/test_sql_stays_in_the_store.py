"""SQL runs only in the store (and the hub's store): nothing above reaches into a connection.

import-linter (pyproject.toml, run by .ci/run) keeps sqlite3 out of the other
layers; this catches the other way round, `something.conn.execute(...)` on a
store object's connection from the UI, the commands or the workers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import station

ROOT = Path(station.__file__).parent
OWNERS = ("store", "sync")  # the packages whose objects own connections
# Remaining exemptions (shrinking):
EXEMPT = {
    "selfcheck.py",  # probes the log's write lock with BEGIN IMMEDIATE / ROLLBACK
    "commands/audit.py",  # reads entry -> bib from the package (issue-12 is reworking this command)
}


def reaches_into_a_connection(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("conn", "_conn")
            and not (isinstance(node.value, ast.Name) and node.value.id == "self")]


def test_no_sql_on_another_objects_connection_outside_the_store():
    offenders = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in OWNERS or relative in EXEMPT:
            continue
        lines = reaches_into_a_connection(path)
        if lines:
            offenders[relative] = lines
    assert offenders == {}, f"move these queries into a store method: {offenders}"


def test_the_check_sees_a_query_on_another_objects_connection(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f(log):\n    return log.conn.execute('SELECT 1')\n", encoding="utf-8")
    assert reaches_into_a_connection(sample) == [2]


def test_every_exemption_is_still_needed():
    for relative in EXEMPT:
        assert reaches_into_a_connection(ROOT / relative), f"{relative} no longer needs its exemption"
