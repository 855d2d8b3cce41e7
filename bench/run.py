"""`python -m bench [--scale]`: prepare a database, serve it with gunicorn, load each page, report.

The run's settings are its own: DEBUG off, a fresh secret key, static files collected into a
temporary folder, uploads there too, and requests marked HTTPS as nginx marks them. A local .env
is not read; the environment's DATABASE_URL, REDIS_URL, DJANGO_CONN_MAX_AGE, WEB_CONCURRENCY and
GUNICORN_THREADS apply, as they would in production.
"""

import argparse
import datetime
import io
import os
import platform
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import BenchDatabase, bench_database, database_create, database_drop
from bench.measures import ADMIN, Measurement, Page, QueryCount
from bench.report import Reference, report
from bench.server import PROXY_HEADERS, Server, fetch, worker_layout
from bench.wrk import Load, WrkMissing, run_wrk, wrk_path

WARM_UP_SECONDS = 1
# Kept after the run, for the errors that wrk counts: what the server said of them.
SERVER_LOG = Path(__file__).resolve().parent.parent / "var" / "bench" / "gunicorn.log"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", action="store_true", help="First add made-up data (generate_scale_data).")
    parser.add_argument("--partners", type=int, default=10_000, help="With --scale (default: %(default)s).")
    parser.add_argument(
        "--applications", type=int, default=50_000, help="With --scale (default: %(default)s)."
    )
    parser.add_argument(
        "--seconds", type=int, default=5, help="wrk's duration per page (default: %(default)s)."
    )
    parser.add_argument(
        "--connections", type=int, default=8, help="wrk's connections (default: %(default)s)."
    )
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads (default: %(default)s).")
    parser.add_argument(
        "--keep-database", action="store_true", help="Keep the scratch PostgreSQL database of a scale run."
    )
    options = parser.parse_args(argv)
    try:
        wrk_path()
    except WrkMissing as missing:
        print(missing, file=sys.stderr)
        return 2
    load = Load(options.threads, options.connections, options.seconds)
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="irts-bench-"))
    database = bench_database(os.environ.get("DATABASE_URL", ""), scale=options.scale, folder=folder)
    environment = _environment(database, folder)
    os.environ.update(environment)
    try:
        database_create(database)
        lines = _run(options, load, database, environment, folder)
    finally:
        _close_connections()
        if not options.keep_database:
            database_drop(database)
        shutil.rmtree(folder, ignore_errors=True)
    lines.append(f"Run time: {time.monotonic() - started:.0f} s.")
    print("\n".join(lines))
    return 0


def _environment(database: BenchDatabase, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "irts_portal.settings",
        "DJANGO_ENV_FILE": "",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "DATABASE_URL": database.url,
        "EMAIL_URL": "consolemail://",
    }


def _run(
    options: argparse.Namespace,
    load: Load,
    database: BenchDatabase,
    environment: dict[str, str],
    folder: Path,
) -> list[str]:
    import django

    django.setup()
    # Django's models and test client: importable once it is set up.
    from bench import jobs as heavy
    from bench import pages as site

    _prepare(options, database)
    staff, user = site.staff_client()
    server = Server(environment, SERVER_LOG)
    try:
        pages, missing = site.pages_to_measure()
        _step(f"Counting each page's queries in-process ({len(pages)} pages)")
        queries = site.count_queries(pages, staff)
        _step(f"Starting gunicorn on port {server.port}")
        server.start()
        headers = {ADMIN: site.session_cookie(staff)}
        measurements = [
            _measure(server, page, queries[page.path], headers.get(page.group, {}), load) for page in pages
        ]
        _step("/healthz again, for the reference")
        healthz_again = _measure(server, pages[0], queries[pages[0].path], {}, load)
        summary = site.data_summary()
        jobs: list[heavy.JobResult] = []
        if options.scale:
            _step("Exporting the applications (CSV, then XLSX) through gunicorn")
            jobs = heavy.exports_measure(server.port, server.pid, headers[ADMIN])
    finally:
        server.stop()
        site.staff_remove(user, staff)
    if options.scale:
        _step(f"Purging the {heavy.PURGE_COUNT:,} applications decided first")
        jobs.append(heavy.purge_measure())
    if measurements[0].result is None or healthz_again.result is None:
        raise RuntimeError(
            f"/healthz could not be measured: {measurements[0].problem or healthz_again.problem}"
        )
    workers, threads = worker_layout(environment)
    reference = Reference(measurements[0].result, healthz_again.result)
    return [
        "",
        f"Benchmark of {datetime.date.today():%Y-%m-%d}: {_machine()}.",
        f"Data: {summary} ({database.description}); cache: {_cache()}.",
        f"gunicorn: {workers} workers × {threads} threads; load per page: {load.describe()} "
        f"(after {WARM_UP_SECONDS} s of warm-up).",
        "",
        *report(measurements, reference, load.seconds),
        *(f"- not measured: {note}" for note in missing),
        *(["", *heavy.jobs_report(jobs)] if jobs else []),
        f"Server log: {SERVER_LOG.relative_to(SERVER_LOG.parent.parent.parent)}.",
    ]


def _prepare(options: argparse.Namespace, database: BenchDatabase) -> None:
    from django.core.management import call_command

    _step(f"Preparing the database ({database.description})")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    # Their own reports are left out: the run prints its steps.
    call_command("load_seed", verbosity=0, stdout=io.StringIO())
    call_command("create_demo_call", verbosity=0, stdout=io.StringIO())
    if options.scale:
        _step(
            f"Adding {options.partners} partners and {options.applications} applications (generate_scale_data)"
        )
        call_command(
            "generate_scale_data", partners=options.partners, applications=options.applications, force=True
        )
    _step("Collecting the static files")
    call_command("collectstatic", interactive=False, verbosity=0)


def _measure(
    server: Server, page: Page, queries: QueryCount, headers: dict[str, str], load: Load
) -> Measurement:
    measurement = Measurement(page, queries=queries)
    if queries.status != 200:
        measurement.problem = f"answered {queries.status} in-process"
    response = fetch(server.port, page.path, headers)
    measurement.html_bytes = len(response.body)
    if response.status != 200:
        moved = f" to {response.location}" if response.location else ""
        measurement.problem = f"answered {response.status}{moved}: not loaded"
        return measurement
    _step(f"{page.label}: {page.path}")
    url = f"http://127.0.0.1:{server.port}{page.path}"
    run_wrk(url, {**PROXY_HEADERS, **headers}, Load(load.threads, load.connections, WARM_UP_SECONDS))
    measurement.result = run_wrk(url, {**PROXY_HEADERS, **headers}, load)
    return measurement


def _machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores{f' ({model})' if model else ''}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average {load:.1f} at the end"
    )


def _cache() -> str:
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return {"RedisCache": "Redis", "AtomicDatabaseCache": "database table"}.get(backend, backend)


def _close_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def _step(text: str) -> None:
    print(f"… {text}", flush=True)
