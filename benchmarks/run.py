"""The benchmark: Hromada under gunicorn on PostgreSQL with N generated communities, driven by wrk.

    .venv/bin/python benchmarks/run.py                 # N = 2,000, 15 s per page
    .venv/bin/python benchmarks/run.py --communities 500 --duration 5
    .venv/bin/python benchmarks/run.py --mixed         # then many people at once, 10 % of them writing

What it does, all on loopback addresses and within a time limit:
1. installs `wrk` from Debian's packages if it is missing (`apt-get install -y wrk`);
2. creates a scratch PostgreSQL database on the test server (HROMADA_TEST_POSTGRES_URL,
   default postgresql://postgres@127.0.0.1:5432/test) and the app's own role, to
   which row-level security applies; migrates it as the owner;
3. generates N communities with `hromada.demo.scale` (as `flask demo --scale N` does);
4. serves the app with gunicorn, 2 workers per core, in production mode with
   freshly generated secrets (REDIS_URL only with --redis);
5. signs in as an operator, a coordinator and a reviewer through the real sign-in form
   (browser.py; staff with their second factor), each person once;
6. drives each page with wrk (2 threads, 16 connections, --latency) and prints,
   per page, requests per second, p50 and p99 latency, the ratio to the
   baseline `/health` (one primary-key query), and whether the page meets the
   target: at least a third of the baseline's throughput, p99 under 300 ms;
7. with --mixed, then the mixed run (mixed.py, mixed.lua): about 50 people of every
   role signed in at once (operators, mentors, experts, facilitators, coordinators
   and members of communities in every stage), each opening their own pages (the
   cohort overview under many filters, sorts and page numbers, their community's
   progress, course and lesson pages, the call page, notifications, action plans,
   consultations, attendance forms), one request in ten writing through a real
   form with its CSRF token (attendance marked, a lesson read, a consultation
   logged, an action done); wrk sends the list, one connection per thread. It
   prints each page's requests per second, p50 and p99 in the mix beside its
   read-only figures, the whole mix's ratio to the baseline, the writes' failures
   (every write must answer 2xx or redirect elsewhere than the sign-in page) and
   what the database gained from them. A page meets the target in the mix when its
   p99 is under 300 ms without errors and the whole mix reaches a third of the
   baseline: a page's own requests/s there is only its share of the mix. It comes
   last and behind a flag because its writes change the data the pages show, and
   its sign-ins and form reads add a minute or so;
8. stops gunicorn and drops the database, whatever happened.

Exit status: 0 when every page meets the target, 1 when one does not (or, with
--mixed, more than 1 % of the writes failed), 2 when the benchmark could not run.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import mixed
from browser import LOOPBACK, BenchmarkError, Browser

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGET_RATIO = 1 / 3
TARGET_P99_MS = 300.0


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # with {placeholders} filled from the generator's report
    role: str | None  # who is signed in; None: nobody
    baseline: bool = False


PAGES = (
    Page("baseline /health", "/health", None, baseline=True),
    Page("cohort overview", "/organisations/{organisation_id}/programmes/{programme_id}/cohort", "operator"),
    Page("community progress", "/communities/{community_id}/programmes/{programme_id}/progress", "coordinator"),
    Page("call page", "/calls/{call_programme_id}", None),
    # Issue 15: the longest lists of scholarships (2,000 applications in one call at N = 20,000), never kept:
    # every request renders them afresh.
    Page("call's applications", "/organisations/{organisation_id}/programmes/{scholarship_programme_id}"
                                "/scholarships/{scholarship_call_id}/applications", "operator"),
    Page("… by weighted mean", "/organisations/{organisation_id}/programmes/{scholarship_programme_id}"
                              "/scholarships/{scholarship_call_id}/applications?sort=mean", "operator"),
    Page("reviewer's list", "/organisations/{organisation_id}/reviews", "reviewer"),
)


@dataclass
class Result:
    page: str
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    ratio: float = 0.0
    # The baseline's requests/s around this page's run: the mean of the runs just before and after it.
    baseline_rps: float = 0.0
    meets_target: bool = False
    raw: str = ""  # wrk's own output


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- wrk ---------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing it from Debian's packages (apt-get install -y wrk)")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    install = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", "wrk"]
    if subprocess.run(install, timeout=600).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update"], timeout=600, check=False)
        if subprocess.run(install, timeout=600).returncode != 0:
            raise BenchmarkError("could not install wrk; install it (apt-get install wrk) and run again")
    return shutil.which("wrk") or "/usr/bin/wrk"


DURATION_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise BenchmarkError(f"unexpected duration in wrk's output: {text!r}")
    return float(match.group(1)) * DURATION_UNITS_MS[match.group(2)]


def parse_wrk(output: str, page: Page) -> Result:
    """Read requests/s, the 50% and 99% latencies and the error counts from `wrk --latency`."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    if not (rate and p50 and p99 and total):
        raise BenchmarkError(f"could not read wrk's output for {page.name}:\n{output}")
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(value) for value in socket_errors.groups())
    requests = int(total.group(1))
    # A page so slow that no request finished within wrk's timeout has no latency to show.
    if requests == 0:
        errors = max(errors, 1)
    return Result(page=page.name, path=page.path, requests_per_second=float(rate.group(1)),
                  p50_ms=milliseconds(p50.group(1)) if requests else float("inf"),
                  p99_ms=milliseconds(p99.group(1)) if requests else float("inf"),
                  requests=requests, errors=errors, raw=output)


def run_wrk(wrk: str, url: str, cookie: str | None, page: Page, *, duration: int, connections: int,
            threads: int) -> Result:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if completed.returncode != 0:
        raise BenchmarkError(f"wrk failed on {page.name}: {completed.stderr or completed.stdout}")
    return parse_wrk(completed.stdout, page)


# --- The database and the data ------------------------------------------------------


def prepare_database(owner_url: str, n_communities: int, seed: int, instance: Path) -> tuple[str, dict, dict]:
    """Create the app role, migrate as the owner, generate the data as the app. Returns (app URL, sign-ins, ids)."""
    from hromada.testing.services import ensure_application_role

    app_url = ensure_application_role(owner_url)
    log("migrating as the owner (flask --app hromada db upgrade heads)")
    environment = {**os.environ, "HROMADA_INSTANCE_PATH": str(instance), "DATABASE_URL": owner_url}
    environment.pop("HROMADA_ENV", None)
    completed = subprocess.run([str(BIN / "flask"), "--app", "hromada", "db", "upgrade", "heads"], env=environment,
                               capture_output=True, text=True, timeout=300, cwd=ROOT)
    if completed.returncode != 0:
        raise BenchmarkError(f"migrations failed:\n{completed.stderr[-3000:]}")

    log(f"generating {n_communities:,} communities as the app's role")
    os.environ["HROMADA_INSTANCE_PATH"] = str(instance)
    from hromada import create_app
    from hromada.demo import scale
    from hromada.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "SECRET_KEY": "benchmark-generation"})
    with app.app_context():
        report = scale.generate(n_communities, seed=seed)
        for line in report.lines():
            log(line)
        db.session.remove()
        db.engine.dispose()
    return app_url, report.sign_ins, report.ids


def analyse(owner_url: str) -> None:
    """Fresh planner statistics after the bulk load, as autovacuum would make them a little later."""
    from sqlalchemy import create_engine, text

    engine = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()


# --- gunicorn ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def start_server(app_url: str, port: int, workers: int, instance: Path, redis_url: str | None,
                 log_path: Path) -> subprocess.Popen:
    environment = {
        **os.environ,
        "HROMADA_ENV": "production",
        "DATABASE_URL": app_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        # The generation's key: the staff's second factors were sealed with it.
        "HROMADA_MASTER_KEY": os.environ["HROMADA_MASTER_KEY"],
        "HROMADA_INSTANCE_PATH": str(instance),
    }
    environment.pop("REDIS_URL", None)
    if redis_url:
        environment["REDIS_URL"] = redis_url
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"{LOOPBACK}:{port}",
               "--error-logfile", str(log_path),
               "--timeout", "60", "hromada:create_app()"]
    log(f"serving with gunicorn: {workers} workers on {LOOPBACK}:{port}")
    # Its own process group, so that stopping it stops every worker.
    return subprocess.Popen(command, env=environment, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def wait_until_idle(base_url: str, timeout: float = 180) -> None:
    """After a page's run: wait until the workers have finished the requests wrk left behind.

    Otherwise the next page would be measured while the server still works on the last one.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base_url + "/health", timeout=timeout) as response:
                response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() - started < 0.5:
            return
        time.sleep(1)
    log("the server is still busy; measuring the next page anyway")


def wait_until_serving(base_url: str, server: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchmarkError(f"gunicorn stopped:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base_url + "/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise BenchmarkError(f"gunicorn did not answer /health within {timeout:.0f} s")


# --- Signing in through the real form -------------------------------------------------


def signing_in(base_url: str) -> Callable[[str], Browser]:
    """A function that signs a person in through the sign-in form (staff with a code of the authenticator app
    holding the scale data's published secret) and returns their session; each person only once, since an
    authenticator code is accepted once: a second sign-in within the same 30 s would be refused."""
    from hromada.demo.scale import SCALE_PASSWORD
    from hromada.modules.factors.published import DEMO_TOTP_SECRET

    signed_in: dict[str, Browser] = {}

    def sign_in(handle: str) -> Browser:
        if handle not in signed_in:
            signed_in[handle] = Browser(base_url).sign_in(handle, SCALE_PASSWORD, DEMO_TOTP_SECRET)
        return signed_in[handle]

    return sign_in


FIRST_REQUEST_TIMEOUT = 120


def check_page(url: str, cookie: str | None, page: Page) -> float | None:
    """The page answers 200 itself (no redirect to sign-in), so wrk measures the page, not an error.

    Returns how long the first request took in seconds; None when there is no
    such page (404: a module that has not landed yet), or when it took longer
    than FIRST_REQUEST_TIMEOUT (then it is reported as not meeting the target).
    """
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    started = time.monotonic()
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=FIRST_REQUEST_TIMEOUT) as response:
            status = response.status
            response.read()
    except urllib.error.HTTPError as error:
        status = error.code
    except (TimeoutError, socket.timeout):
        return float("inf")
    if status == 404:
        return None
    if status != 200:
        raise BenchmarkError(f"{page.name} ({url}) answered {status}, not 200")
    return time.monotonic() - started


# --- The whole run ----------------------------------------------------------------------


def is_loopback(host: str | None) -> bool:
    return host in ("127.0.0.1", "::1", "localhost") or (host or "").startswith("127.")


def out_of_time(_signal, _frame):
    raise BenchmarkError("the time limit ran out")


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    return f"{os.cpu_count()} cores{f' ({model})' if model else ''}, {platform.system()} {platform.release()}"


def table(results: list[Result]) -> str:
    header = (f"{'page':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'base req/s':>10} {'× base':>7} "
              f"{'errors':>7}  target")
    lines = [header, "-" * len(header)]
    for result in results:
        verdict = "baseline" if result.page.startswith("baseline") else ("met" if result.meets_target else "NOT met")
        lines.append(f"{result.page:<22} {result.requests_per_second:>9.1f} {result.p50_ms:>8.1f} "
                     f"{result.p99_ms:>8.1f} {result.baseline_rps:>10.1f} {result.ratio:>7.2f} {result.errors:>7}  "
                     f"{verdict}")
    return "\n".join(lines)


# --- The mixed run (--mixed; mixed.py builds it, mixed.lua drives it) --------------------------------------


@dataclass
class MixedRun:
    mix: mixed.Mix
    figures: mixed.MixedFigures
    overall: Result  # wrk's own figures for the whole run
    written: dict[str, int]  # what the database gained from the writes
    threads: int
    baseline_rps: float = 0.0

    @property
    def ratio(self) -> float:
        return self.overall.requests_per_second / self.baseline_rps if self.baseline_rps else 0.0

    def page_meets_target(self, page: str) -> bool:
        figures = self.figures.pages[page]
        return figures.failures == 0 and figures.percentile(0.99) < TARGET_P99_MS

    @property
    def writes_ok(self) -> bool:
        return self.figures.failed_writes <= mixed.MAX_FAILED_WRITES * self.figures.writes

    @property
    def meets_target(self) -> bool:
        reads = [page for page in self.figures.pages if page not in mixed.WRITES]
        return (self.writes_ok and self.ratio >= TARGET_RATIO
                and all(self.page_meets_target(page) for page in reads))

    def as_json(self) -> dict:
        return {
            "requests": self.figures.requests, "writes": self.figures.writes,
            "failed_writes": self.figures.failed_writes, "seconds": self.figures.seconds,
            "requests_per_second": self.overall.requests_per_second, "baseline_rps": self.baseline_rps,
            "ratio": self.ratio, "written": self.written, "people": Counter(self.mix.roles.values()),
            "pages": {page: {"requests": f.requests, "requests_per_second": self.figures.rate(page),
                             "p50_ms": f.percentile(0.5), "p99_ms": f.percentile(0.99), "failures": f.failures,
                             "statuses": {str(status): count for status, count in f.statuses.items()}}
                      for page, f in self.figures.pages.items()},
            "failed": [{"page": entry.page, "method": entry.method, "path": entry.path, "answer": answer}
                       for entry, answer in self.figures.failed],
        }


def run_mixed(arguments: argparse.Namespace, wrk: str, base_url: str, owner_url: str,
              sign_in: Callable[[str], Browser], folder: Path) -> MixedRun:
    """Build the mix, warm it up on its reads, drive it with wrk and mixed.lua, and read what each thread logged."""
    log("mixed run: picking the people, signing them in and reading their forms")
    # One connection per thread: see mixed.lua, why the latencies it logs are exact only so.
    threads = arguments.connections
    mix = mixed.plan(owner_url, sign_in, seed=arguments.seed, threads=threads, log=log)

    def drive(entries: list[mixed.Entry], duration: int, name: str) -> tuple[str, Path]:
        data, logs = folder / f"{name}.tsv", folder / name
        data.write_text(mixed.data_lines(entries, mix.cookies))
        logs.mkdir()
        command = [wrk, f"-t{threads}", f"-c{threads}", f"-d{duration}s", "--latency", "--timeout", "10s",
                   "-s", str(mixed.SCRIPT), base_url, "--", str(data), str(logs), str(threads)]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
        if completed.returncode != 0 or "requests in" not in completed.stdout:
            raise BenchmarkError(f"wrk failed on the mixed run: {completed.stderr or completed.stdout}")
        wait_until_idle(base_url)
        return completed.stdout, logs

    if arguments.warm_up:
        # Only the reads: the writes are kept for the measured run, each to be sent once.
        drive(mix.reads(), arguments.warm_up, "mixed-warm-up")
    since = datetime.now(timezone.utc)
    before = mixed.write_counts(owner_url, since)
    writes = sum(entry.writes for entry in mix.entries)
    log(f"wrk on the mixed run: {len(mix.entries):,} requests in the list, {writes:,} of them writes, "
        f"{len(mix.cookies)} people ({arguments.duration} s)")
    output, logs = drive(mix.entries, arguments.duration, "mixed")
    after = mixed.write_counts(owner_url, since)
    overall = parse_wrk(output, Page("the mixed run", "", None))
    elapsed = re.search(r"requests in ([\d.]+\w+),", output)
    seconds = milliseconds(elapsed.group(1)) / 1000 if elapsed else float(arguments.duration)
    return MixedRun(mix=mix, figures=mixed.read_logs(logs, mix.entries, seconds), overall=overall,
                    written={what: after[what] - before[what] for what in after}, threads=threads)


def mixed_report(run_: MixedRun, results: list[Result]) -> str:
    figures, people = run_.figures, Counter(run_.mix.roles.values())
    read_only = {result.page: result for result in results}
    lines = [
        f"Mixed run: {len(run_.mix.cookies)} people signed in ("
        + ", ".join(f"{count} {role}s" for role, count in people.most_common()) + "), each opening their own "
        f"pages; wrk {run_.threads} threads / {run_.threads} connections / {figures.seconds:.1f} s",
        f"{figures.requests:,} requests, {figures.writes:,} of them writes "
        f"({figures.writes / figures.requests:.1%}): {run_.overall.requests_per_second:.1f} req/s in all, "
        f"{run_.ratio:.2f} of the baseline's {run_.baseline_rps:.1f} req/s (target: {TARGET_RATIO:.2f})"
        if figures.requests else "No request of the mixed run was answered.",
        f"Latency of every request: p50 {figures.everything().percentile(0.5):.1f} ms, p99 "
        f"{figures.everything().percentile(0.99):.1f} ms from the threads' logs; wrk's own count: p50 "
        f"{run_.overall.p50_ms:.1f} ms, p99 {run_.overall.p99_ms:.1f} ms, {run_.overall.requests:,} requests.",
        "A page's req/s is its share of the mix; the throughput target applies to the whole mix, "
        f"p99 under {TARGET_P99_MS:.0f} ms to each page.",
        "",
    ]
    header = (f"{'page':<22} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'requests':>8} {'errors':>7}  |"
              f" {'read-only req/s':>15} {'p99 ms':>8}  | target")
    lines += [header, "-" * len(header)]
    for page, f in figures.pages.items():
        alone = read_only.get(page)
        beside = f"{alone.requests_per_second:>15.1f} {alone.p99_ms:>8.1f}" if alone else f"{'-':>15} {'-':>8}"
        if page in mixed.WRITES:
            verdict = "every write succeeded" if not f.failures else f"{f.failures} FAILED"
        else:
            verdict = "met" if run_.page_meets_target(page) and run_.ratio >= TARGET_RATIO else "NOT met"
        lines.append(f"{page:<22} {figures.rate(page):>7.1f} {f.percentile(0.5):>8.1f} {f.percentile(0.99):>8.1f} "
                     f"{f.requests:>8} {f.failures:>7}  | {beside}  | {verdict}")
    lines.append("")
    lines.append("Writes: " + ", ".join(f"{kind.removeprefix('write: ')} {run_.mix.distinct_writes[kind]} distinct"
                                        for kind in mixed.WRITES) + " prepared; the database gained (with any "
                 "write still in flight when wrk stopped) "
                 + ", ".join(f"{count:,} {what}" for what, count in run_.written.items()) + ".")
    if figures.failed:
        lines.append(f"{len(figures.failed)} requests failed"
                     + (" (the first 20):" if len(figures.failed) > 20 else ":"))
        lines += [f"  {entry.method} {entry.path} as {run_.mix.roles.get(entry.session, '?')} {entry.session}: {answer}"
                  for entry, answer in figures.failed[:20]]
    if not run_.writes_ok:
        lines.append(f"FAILED: {figures.failed_writes} of {figures.writes} writes failed, more than "
                     f"{mixed.MAX_FAILED_WRITES:.0%}.")
    return "\n".join(lines)


def run(arguments: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from hromada.testing.services import postgres_error, postgres_url, scratch_postgres_database

    for name, url in (("PostgreSQL", postgres_url()), ("Redis", arguments.redis)):
        if url and not is_loopback(make_url(url).host if name == "PostgreSQL" else urllib.parse.urlsplit(url).hostname):
            raise BenchmarkError(f"{name} must be on this machine's loopback address, not {url}")
    wrk = ensure_wrk()
    reason = postgres_error()
    if reason:
        raise BenchmarkError(reason)
    workers = arguments.workers or 2 * (os.cpu_count() or 1)
    baseline_page, pages = PAGES[0], [page for page in PAGES[1:]
                                      if not arguments.only or any(part in page.name for part in arguments.only)]
    results: list[Result] = []
    baselines: list[Result] = []
    mixed_run: MixedRun | None = None
    server = None
    with tempfile.TemporaryDirectory(prefix="hromada-bench-") as folder, \
            scratch_postgres_database("hromada_bench") as owner_url:
        instance = Path(folder) / "instance"
        log_path = Path(folder) / "gunicorn.log"
        try:
            app_url, sign_ins, ids = prepare_database(owner_url, arguments.communities, arguments.seed, instance)
            analyse(owner_url)
            port = free_port()
            base_url = f"http://{LOOPBACK}:{port}"
            server = start_server(app_url, port, workers, instance, arguments.redis, log_path)
            wait_until_serving(base_url, server, log_path)
            sign_in = signing_in(base_url)
            cookies = {role: sign_in(sign_ins[role]).cookie_header()
                       for role in {page.role for page in pages if page.role}}

            def drive(page: Page, url: str, cookie: str | None) -> Result:
                if arguments.warm_up:
                    # Discarded: every worker renders the page once, compiles its templates, prepares its
                    # statements and keeps the page (hromada.caching.pages), as a server that has been up would.
                    run_wrk(wrk, url, cookie, page, duration=arguments.warm_up, connections=arguments.connections,
                            threads=arguments.threads)
                result = run_wrk(wrk, url, cookie, page, duration=arguments.duration,
                                 connections=arguments.connections, threads=arguments.threads)
                wait_until_idle(base_url)
                return result

            def baseline() -> Result:
                log(f"wrk on {baseline_page.name} ({arguments.duration} s)")
                result = drive(baseline_page, base_url + baseline_page.path, None)
                baselines.append(result)
                return result

            # The baseline runs before and after every page, so that a change in the machine's load
            # during the run (other processes) shifts a page and its baseline alike.
            baseline()
            for page in pages:
                try:
                    path = page.path.format(**ids)
                except KeyError as missing:
                    log(f"skipped {page.name}: the generator makes no {missing} (its module has not landed)")
                    continue
                url = base_url + path
                cookie = cookies.get(page.role) if page.role else None
                first = check_page(url, cookie, page)
                if first is None:
                    log(f"skipped {page.name}: {path} is not found (its module has not landed?)")
                    continue
                before = baselines[-1].requests_per_second
                if first == float("inf"):
                    log(f"{page.name}: the first request took over {FIRST_REQUEST_TIMEOUT} s; not driven with wrk")
                    result = Result(page=page.name, path=path, requests_per_second=0.0, p50_ms=float("inf"),
                                    p99_ms=float("inf"), requests=0, errors=1)
                    wait_until_idle(base_url)
                else:
                    log(f"wrk on {page.name}: {path} ({arguments.duration} s; "
                        f"the first request took {first * 1000:.0f} ms)")
                    result = drive(page, url, cookie)
                result.baseline_rps = (before + baseline().requests_per_second) / 2
                results.append(result)
            if arguments.mixed:
                before = baselines[-1].requests_per_second
                mixed_run = run_mixed(arguments, wrk, base_url, owner_url, sign_in, Path(folder))
                mixed_run.baseline_rps = (before + baseline().requests_per_second) / 2
        finally:
            stop_server(server)
    if baselines:
        rates = sorted(run.requests_per_second for run in baselines)
        summary = Result(page=f"baseline {baseline_page.path}", path=baseline_page.path,
                         requests_per_second=sum(rates) / len(rates),
                         p50_ms=sorted(run.p50_ms for run in baselines)[len(baselines) // 2],
                         p99_ms=max(run.p99_ms for run in baselines),
                         requests=sum(run.requests for run in baselines),
                         errors=sum(run.errors for run in baselines), ratio=1.0)
        summary.baseline_rps = summary.requests_per_second
        results.insert(0, summary)
    for result in results[1:]:
        result.ratio = result.requests_per_second / result.baseline_rps if result.baseline_rps else 0.0
        result.meets_target = (result.ratio >= TARGET_RATIO and result.p99_ms < TARGET_P99_MS
                               and result.errors == 0)
    print()
    print(f"Hromada benchmark: {arguments.communities:,} communities, PostgreSQL, gunicorn {workers} workers, "
          f"wrk {arguments.threads} threads / {arguments.connections} connections / {arguments.duration} s per page")
    print(f"Machine: {machine()}")
    kept = os.environ.get("HROMADA_PAGE_CACHE_SIZE", "256")
    print(f"Warm-up: {arguments.warm_up} s of wrk per page, discarded. Progress and cohort pages: "
          + (f"kept per session (HROMADA_PAGE_CACHE_SIZE={kept})" if kept != "0"
             else "rendered for every request (HROMADA_PAGE_CACHE_SIZE=0)")
          + "; scholarship lists: rendered for every request")
    print(f"Target: at least {TARGET_RATIO:.2f} of the baseline's requests/s and p99 under {TARGET_P99_MS:.0f} ms")
    print()
    print(table(results))
    if baselines:
        print(f"\nBaseline runs ({len(baselines)}, one before and after each page): "
              + ", ".join(f"{run.requests_per_second:.0f}" for run in baselines) + " req/s; "
              "each page is compared with the mean of the runs just before and after it.")
    mixed_ok = True
    if mixed_run is not None:
        print()
        print(mixed_report(mixed_run, results))
        mixed_ok = mixed_run.meets_target
    if arguments.json:
        Path(arguments.json).write_text(json.dumps({
            "communities": arguments.communities, "workers": workers, "machine": machine(),
            "results": [asdict(result) for result in results],
            "baseline_runs": [asdict(run) for run in baselines],
            "mixed": mixed_run.as_json() if mixed_run is not None else None,
        }, indent=2))
    measured = [result for result in results if not result.page.startswith("baseline")]
    if len(measured) < len(pages):
        print(f"\nOnly {len(measured)} of the {len(pages)} pages could be measured.")
        return 1
    return 0 if all(result.meets_target for result in measured) and mixed_ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communities", type=int, default=2000, help="N communities to generate (default 2000)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per page (default 15)")
    parser.add_argument("--warm-up", type=int, default=3,
                        help="seconds of wrk per page before the measured run, discarded (default 3; 0: none)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: 2 per core)")
    parser.add_argument("--redis", metavar="URL", help="serve with this REDIS_URL (default: none)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--mixed", action="store_true",
                        help="after the pages, the mixed run: many people at once, 10 %% of the requests writing")
    parser.add_argument("--only", metavar="TEXT", action="append", default=[],
                        help="drive only the pages whose name contains TEXT (repeatable; the baseline always runs)")
    parser.add_argument("--time-limit", type=int, default=1800, help="stop after this many seconds (default 1800)")
    arguments = parser.parse_args()
    # The migration, the data generation and gunicorn each have their own SECRET_KEY: one context key for
    # all three, so that the database knows the key every process signs its tenancy context with.
    os.environ.setdefault("HROMADA_CONTEXT_KEY", secrets.token_urlsafe(32))
    # Likewise one master key, freshly made: the generation seals the staff's second factors with it and the
    # server opens them when staff sign in.
    os.environ.setdefault("HROMADA_MASTER_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(arguments.time_limit)
    try:
        return run(arguments)
    except BenchmarkError as error:
        print(f"The benchmark could not run: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
