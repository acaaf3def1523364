"""`station report --event E --out DIR`: the after-event report, CSV and one HTML page.

The page draws its plots as inline SVG made here (no plotting library, no
scripts, no files beside it), so it opens anywhere and can be mailed as one
file. Nothing personal goes in: counts, counters, reason codes, decisions and
supervisor ids; runners appear only as entry numbers in exceptions.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path

import click

from station.core.text_safety import csv_rows


def bar_chart_svg(labels: Sequence[str], values: Sequence[int], title: str, *,
                  width: int = 760, height: int = 280) -> str:
    """A bar chart as an <svg> element: one bar per label, value above each bar."""
    left, right, top, bottom = 44, 12, 30, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(values, default=0) or 1
    step = plot_w / max(len(values), 1)
    bar = max(step * 0.7, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">',
        f'<text x="{left}" y="18" font-size="14" font-weight="bold">{html.escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="10" text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" font-size="10" text-anchor="end">0</text>',
    ]
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / peak
        x = left + n * step + (step - bar) / 2
        y = top + plot_h - h
        cx = x + bar / 2
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#2b6cb0">'
                     f'<title>{html.escape(label)}: {value}</title></rect>')
        parts.append(f'<text x="{cx:.1f}" y="{y - 3:.1f}" font-size="9" text-anchor="middle">{value}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 12}" font-size="9" text-anchor="end" '
                     f'transform="rotate(-45 {cx:.1f} {top + plot_h + 12})">{html.escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(csv_rows(rows))


def write_report(package, log, out: Path, now: dt.datetime) -> list[Path]:
    """Every file of the report, from one log holding the whole hall's facts."""
    from station.store.dashboard import Dashboard
    from station.store.exceptions import ExceptionQueue

    out.mkdir(parents=True, exist_ok=True)
    snap = Dashboard(log, package).snapshot(now)
    settings = package.settings
    hours = [(h.hour.strftime("%m-%d %H:00"), h.pickups) for h in snap.per_hour]
    counters = [(c.station_id, c.pickups, settings.local(c.last_heard).strftime("%m-%d %H:%M"))
                for c in snap.per_counter]
    remaining = [(r.category, r.start_block, r.total, r.total - r.remaining, r.remaining) for r in snap.remaining]
    queue = ExceptionQueue(log, package)
    exceptions = []
    for fact_id, opened_at, station, reason, entry_no in log.exceptions_opened():
        outcome = queue.outcome(fact_id)
        waited = ((outcome.resolved_at if outcome else now) - opened_at).total_seconds() / 60
        exceptions.append((fact_id, settings.local(opened_at).strftime("%m-%d %H:%M"), station, reason or "",
                           entry_no or "", outcome.decision.value if outcome else "open",
                           outcome.supervisor_id if outcome else "",
                           settings.local(outcome.resolved_at).strftime("%m-%d %H:%M") if outcome else "",
                           f"{waited:.0f}"))
    files: dict[str, tuple[tuple[str, ...], Sequence[Sequence[object]]]] = {
        "pickups_per_hour.csv": (("hour", "pickups"), hours),
        "pickups_per_counter.csv": (("counter", "pickups", "last_heard"), counters),
        "remaining.csv": (("category", "start_block", "entrants", "picked_up", "remaining"), remaining),
        "exceptions.csv": (("exception_id", "opened", "counter", "reason", "entry_no", "decision", "supervisor",
                            "resolved", "waited_minutes"), exceptions),
    }
    written = []
    for name, (headers, data) in files.items():
        _write_csv(out / name, headers, data)
        written.append(out / name)
    decided = sum(1 for e in exceptions if e[5] != "open")
    page = f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{html.escape(settings.name)} — check-in report</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:60em}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #bbb;padding:2px 8px;text-align:right}}th{{background:#eee}}</style></head><body>
<h1>{html.escape(settings.name)}</h1>
<p>受付レポート / Check-in report, {html.escape(settings.local(now).strftime("%Y-%m-%d %H:%M"))}.
Picked up 受取済: <b>{snap.picked_up}</b> bibs; remaining 未受取: <b>{snap.projection.remaining}</b>;
exceptions 例外: {len(exceptions)} ({decided} resolved).</p>
{bar_chart_svg([h[0] for h in hours], [h[1] for h in hours], "Pickups per hour / 時間帯別受取数")}
{bar_chart_svg([c[0] for c in counters], [c[1] for c in counters], "Pickups per counter / カウンター別受取数")}
<h2>Remaining by category and start block / 種目・ブロック別の未受取</h2>
{_table(files["remaining.csv"][0], remaining)}
<h2>Counters / カウンター</h2>
{_table(files["pickups_per_counter.csv"][0], counters)}
<h2>Exceptions / 例外対応</h2>
{_table(("decision", "count"), _decision_counts(exceptions))}
</body></html>
"""
    (out / "report.html").write_text(page, encoding="utf-8")
    written.append(out / "report.html")
    return written


def _decision_counts(exceptions: list[tuple]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in exceptions:
        counts[row[5]] = counts.get(row[5], 0) + 1
    return sorted(counts.items())


@click.command("report")
@click.option("--event", "event_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The event package (.sqlite).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the CSV files and report.html.")
@click.option("--log", "logs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Station log(s) to report on (default: every log of the event on this machine).")
def report(event_path: Path, out: Path, logs: tuple[Path, ...]) -> None:
    """Write the after-event report: pickups per hour and per counter, what remains, exceptions."""
    from station.commands.audit import event_with_merged_log

    with event_with_merged_log(event_path, logs) as (package, log):
        written = write_report(package, log, out, dt.datetime.now(dt.UTC))
    for path in written:
        click.echo(f"wrote {path}")
