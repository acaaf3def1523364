"""An import-linter contract for parts of an external package (`PySide6.QtWidgets`).

import-linter's own `forbidden` contract can forbid an external package only
as a whole (`PySide6`), because the graph keeps external packages at their top
level. "Nothing below the UI imports Qt widgets" needs the submodule: the
printing and the station's workers may use QtCore and QtGui, not QtWidgets.
This contract reads the import statements the graph recorded for each import
of the top-level package and matches the submodule they name.

Configured in pyproject.toml (`contract_types`), run by `lint-imports` in .ci/run.
"""

from __future__ import annotations

import ast
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


def _names(statement: str) -> set[str]:
    """The dotted modules one import statement brings in ("from A.B import c" gives A.B and A.B.c)."""
    try:
        tree = ast.parse(statement.strip())
    except SyntaxError:  # a statement over several lines: its first line names the module
        tree = ast.parse(statement.strip().rstrip("(\\") + " _")
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _within(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


class ForbiddenSubmodulesContract(Contract):
    """The source modules (and their descendants) do not import the forbidden
    submodules of external packages. `ignore_imports` lists "importer -> submodule"
    exemptions; one that no longer matches fails the contract, so the list shrinks."""

    type_name = "forbidden_submodules"

    source_modules = fields.ListField(subfield=fields.StringField())
    forbidden_modules = fields.ListField(subfield=fields.StringField())
    ignore_imports = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        ignored = {tuple(part.strip() for part in line.split("->")) for line in self.ignore_imports}
        used: set[tuple[str, ...]] = set()
        found: list[dict[str, Any]] = []
        for source in self.source_modules:
            for importer in sorted({source} | graph.find_descendants(source)):
                imported = graph.find_modules_directly_imported_by(importer)
                for forbidden in self.forbidden_modules:
                    root = forbidden.split(".")[0]
                    if root not in imported:
                        continue
                    for detail in graph.get_import_details(importer=importer, imported=root):
                        if not any(_within(n, forbidden) for n in _names(detail["line_contents"])):
                            continue
                        if (importer, forbidden) in ignored:
                            used.add((importer, forbidden))
                            continue
                        found.append({"importer": importer, "forbidden": forbidden,
                                      "line_number": detail["line_number"], "line": detail["line_contents"]})
        stale = sorted(" -> ".join(i) for i in ignored - used)
        return ContractCheck(kept=not found and not stale, metadata={"found": found, "stale": stale})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for hit in check.metadata["found"]:
            output.print_error(f"{hit['importer']} imports {hit['forbidden']} "
                               f"(l.{hit['line_number']}: {hit['line'].strip()})", bold=False)
        for line in check.metadata["stale"]:
            output.print_error(f"The exemption '{line}' matches no import any more: remove it.", bold=False)
        output.new_line()
