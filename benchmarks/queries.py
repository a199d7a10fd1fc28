"""Read-path benchmarks on a filled database: the caseworker queues, the overdue query and the
quarterly report, with the query plans behind them.

Fill the database first (``benchmarks/datagen.py``), then::

    .venv/bin/python benchmarks/queries.py queues --database-url postgres://postgres@127.0.0.1:5432/fh_scale_1m
    .venv/bin/python benchmarks/queries.py report --database-url postgres://postgres@127.0.0.1:5432/fh_scale_1m
    .venv/bin/python benchmarks/queries.py plans  --database-url ... --out /tmp/plans   # EXPLAIN (ANALYZE, BUFFERS)

``queues`` times, for the overseer, the busiest caseworker, a typical one and the busiest panel
member, what the queue page asks of the database (``fairhearing.cases.views.queues`` minus the
template and the audit append, which are measured with the HTTP benchmarks): each queue's tab
count (up to ``selectors.COUNT_CAP``, as the page counts; "rows" gives the full size) and first
page of 50 rows with their stage labels and days left, and the whole page (the tab counts plus
one page). It
also times the tick's overdue query. ``--runs`` (default 30) timed runs after 3 warm-up runs;
p50 and p95 are over the runs. ``report`` builds the last full quarter before ``--today`` (or
``--from``/``--to``) ``--runs`` times (default 7) and gives the first run (which imports the
suppression solver) apart from the median of the rest, plus the slowest queries of one run.

Every figure comes with the load average before and after, the client's CPU time and the
database backend's CPU time (read from /proc for the server process of this connection, so only
when PostgreSQL runs on this machine; 10 ms resolution, so it is given per query as an average).
The day the queues treat as today is ``--today`` (default: today, as the generator's default).
Results print as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE = 50


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-that-is-long-enough-0123456789")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _load() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


class Backend:
    """CPU time of this connection's server process (PostgreSQL on this machine only)."""

    def __init__(self) -> None:
        from django.db import connection

        self.stat: Path | None = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                path = Path(f"/proc/{cursor.fetchone()[0]}/stat")
            self.stat = path if path.exists() else None

    def cpu(self) -> float | None:
        if self.stat is None:
            return None
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time(work: Callable[[], Any], runs: int, warm: int = 3) -> dict[str, Any]:
    backend = Backend()
    for _ in range(warm):
        work()
    walls = []
    cpu0, db0 = time.process_time(), backend.cpu()
    for _ in range(runs):
        started = time.perf_counter()
        work()
        walls.append((time.perf_counter() - started) * 1000)
    cpu, db1 = time.process_time() - cpu0, backend.cpu()
    walls.sort()
    return {
        "runs": runs,
        "p50_ms": round(statistics.median(walls), 1),
        "p95_ms": round(walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))], 1),
        "max_ms": round(walls[-1], 1),
        "client_cpu_ms": round(1000 * cpu / runs, 1),
        "db_cpu_ms": None if db0 is None or db1 is None else round(1000 * (db1 - db0) / runs, 1),
    }


def _people() -> dict[str, Any]:
    from fairhearing.accounts.models import Role, User
    from fairhearing.cases.models import Assignment

    open_load = Counter(Assignment.objects.filter(role="caseworker", active=True, case__closed=False).values_list("user", flat=True))
    ranked = [pk for pk, _ in open_load.most_common()]
    people = {"overseer": User.objects.filter(role=Role.OVERSEER, is_active=True).order_by("pk").first()}
    if ranked:
        people["caseworker_busiest"] = User.objects.get(pk=ranked[0])
        people["caseworker_typical"] = User.objects.get(pk=ranked[len(ranked) // 2])
    panel = Counter(Assignment.objects.filter(role="panel", active=True, case__closed=False).values_list("user", flat=True))
    if panel:
        people["panel_busiest"] = User.objects.get(pk=panel.most_common(1)[0][0])
    return {k: v for k, v in people.items() if v is not None}


def _overdue_tick(today: date) -> Any:
    """The tick's overdue query (``workflow.services.tick_run``), one batch of 1,000 ids."""
    from fairhearing.cases.models import Case

    return Case.objects.filter(closed=False, paused=False, breached_at__isnull=True, due_on__lt=today).values_list("pk", flat=True)[:1000]


def queues(args: argparse.Namespace) -> dict[str, Any]:
    from fairhearing.cases import selectors

    today = args.today
    out: dict[str, Any] = {"today": today.isoformat(), "load_before": _load(), "results": {}}
    cap = getattr(selectors, "COUNT_CAP", None)
    out["count_cap"] = cap
    for label, user in _people().items():
        for queue in selectors.QUEUES:
            qs = selectors.queue_cases(user, queue.key, today=today)
            count = qs.count()
            if user.role == "overseer" and queue.key == "mine":
                continue
            # The tab count as the page takes it: up to the cap when the selectors have one.
            tab = qs.order_by()[: cap + 1] if cap else qs
            out["results"][f"{label} {queue.key} count"] = {"rows": count, **_time(lambda tab=tab: tab.count(), args.runs)}
            out["results"][f"{label} {queue.key} page"] = {
                "rows": min(count, PAGE), **_time(lambda qs=qs: selectors.rows_for(list(qs[:PAGE]), today=today), args.runs)}

        def page(user: Any = user) -> None:
            # What the queue view asks of the database: the tab counts, then one page of rows.
            if hasattr(selectors, "queue_counts"):
                selectors.queue_counts(user, today=today)
                rows, _ = selectors.queue_page(user, "overdue", 1, today=today)
            else:
                for q in selectors.QUEUES:
                    selectors.queue_cases(user, q.key, today=today).count()
                rows = list(selectors.queue_cases(user, "overdue", today=today)[:PAGE])
            selectors.rows_for(rows, today=today)

        out["results"][f"{label} whole page"] = _time(page, args.runs)
    out["results"]["tick overdue batch"] = {"rows": len(list(_overdue_tick(today))),
                                            **_time(lambda: list(_overdue_tick(today)), args.runs)}
    out["load_after"] = _load()
    return out


def _quarter(args: argparse.Namespace) -> tuple[date, date]:
    from fairhearing.reports.statistics import previous_quarter

    if args.start and args.end:
        return args.start, args.end
    return previous_quarter(args.today)


def report(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from fairhearing.reports.statistics import build_report

    start, end = _quarter(args)
    out: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "load_before": _load()}
    backend = Backend()
    runs = []
    for _ in range(args.runs):
        wall, cpu, db = time.perf_counter(), time.process_time(), backend.cpu()
        built = build_report(start, end)
        db_after = backend.cpu()
        runs.append({"wall_s": round(time.perf_counter() - wall, 3), "client_cpu_s": round(time.process_time() - cpu, 3),
                     "db_cpu_s": None if db is None or db_after is None else round(db_after - db, 2)})
    out["first_run"] = runs[0]
    rest = runs[1:] or runs
    out["median_of_rest"] = {k: (round(statistics.median([r[k] for r in rest]), 3) if rest[0][k] is not None else None) for k in rest[0]}
    out["all_runs_wall_s"] = [r["wall_s"] for r in runs]
    out["complaints_received"] = built.table("received").cells[-1][-1]
    queries: list[tuple[float, str]] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql % tuple(repr(p) for p in params) if params else sql))

    with connection.execute_wrapper(timed):
        build_report(start, end)
    queries.sort(reverse=True)
    out["queries"] = len(queries)
    out["slowest_queries"] = [{"ms": round(1000 * s, 1), "sql": q[:300]} for s, q in queries[:6]]
    out["load_after"] = _load()
    return out


def plans(args: argparse.Namespace) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, BUFFERS) of the queries that matter, one text file each."""
    from django.db import connection

    from fairhearing.cases import selectors
    from fairhearing.reports.statistics import build_report

    target = Path(args.out)
    target.mkdir(parents=True, exist_ok=True)
    today = args.today
    written = []
    people = _people()
    for label in ("overseer", "caseworker_busiest"):
        user = people.get(label)
        if user is None:
            continue
        for queue in selectors.QUEUES:
            qs = selectors.queue_cases(user, queue.key, today=today)
            (target / f"{label}-{queue.key}-page.txt").write_text(qs[:PAGE].explain(analyze=True, buffers=True) + "\n")
            (target / f"{label}-{queue.key}-count.txt").write_text(_explain_count(qs) + "\n")
            written += [f"{label}-{queue.key}-page.txt", f"{label}-{queue.key}-count.txt"]
    (target / "tick-overdue.txt").write_text(_overdue_tick(today).explain(analyze=True, buffers=True) + "\n")
    written.append("tick-overdue.txt")
    start, end = _quarter(args)
    captured: list[tuple[float, str, Any]] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((time.perf_counter() - started, sql, params))

    with connection.execute_wrapper(keep):
        build_report(start, end)
    captured.sort(key=lambda item: item[0], reverse=True)
    for n, (_, sql, params) in enumerate(captured[:6], 1):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            text = "\n".join(row[0] for row in cursor.fetchall())
        name = f"report-{n}.txt"
        (target / name).write_text(f"{sql}\n{params}\n\n{text}\n")
        written.append(name)
    return {"written": written, "to": str(target)}


def _explain_count(qs: Any) -> str:
    from django.db import connection

    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM ({sql}) counted", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("queues", "report", "plans"))
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/fh_scale_1m")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="the day treated as today (YYYY-MM-DD)")
    parser.add_argument("--from", dest="start", type=date.fromisoformat, default=None)
    parser.add_argument("--to", dest="end", type=date.fromisoformat, default=None)
    parser.add_argument("--out", default="/tmp/fairhearing-plans", help="folder for the plans")
    args = parser.parse_args()
    _setup(args.database_url)
    from fairhearing.core import clock

    args.today = args.today or clock.today()
    args.runs = args.runs or (30 if args.what == "queues" else 7)
    started, cpu = time.perf_counter(), time.process_time()
    result = {"queues": queues, "report": report, "plans": plans}[args.what](args)
    result["seconds"] = {"wall": round(time.perf_counter() - started, 1), "cpu": round(time.process_time() - cpu, 1)}
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
