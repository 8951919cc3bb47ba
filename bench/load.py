"""Load and fault bench: gunicorn on PostgreSQL, respondents saving while board members read.

Run from the repository root (never part of the unit test suite):

    .venv/bin/python bench/load.py                      # 60 s of normal load
    .venv/bin/python bench/load.py --fault worker       # SIGKILL one gunicorn worker mid-run
    .venv/bin/python bench/load.py --fault postgres     # restart the PostgreSQL server mid-run

What it does, in order:

1. Recreates a dedicated database (``--db``, default ninefold_load), migrates it,
   collects static files, and creates through the app's own services a place with
   partners, an open round, ``--respondents`` invitations (keeping their raw tokens)
   and ``--readers`` board members.
2. Starts gunicorn (``--workers`` sync workers) on a free loopback port with
   production settings (DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1).
3. Signs each board member in once through the real sign-in form, then for
   ``--duration`` seconds runs one thread per respondent (GET the form, POST a changed
   draft, sometimes autosave, submit after a while, then amend-and-resubmit) and one
   thread per reader (the place page, and the round dashboard if that URL exists).
4. Reports throughput, latency percentiles per kind of request and errors by status,
   then checks in the database that no acknowledged save was lost or applied twice.

The fault runs also report when the first failure and the last failure happened
relative to the fault, and how long the app took to serve requests again.

Only 127.0.0.1 is ever contacted. Every loop is bounded in time and in count.
gunicorn is started in its own process group and stopped on exit, Ctrl-C included.
The PostgreSQL restart affects the whole machine's shared server: use it sparingly.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart", "-m", "fast"]
REQUEST_TIMEOUT = 30.0  # seconds, per request: as long as gunicorn's worker timeout
MAX_ITERATIONS = 100_000  # per client thread, whatever the duration
ACK_STATUSES = range(200, 400)
PAGE_KINDS = {"form_get", "place_get", "dashboard_get"}


# --- Recording --------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    start: float  # seconds since the run started
    end: float
    status: int  # 0: no HTTP response at all (connection refused/reset, timeout)
    error: str = ""

    @property
    def ok(self) -> bool:
        if self.kind in PAGE_KINDS:  # a redirect there would mean signed out or refused
            return self.status == 200
        return self.status in ACK_STATUSES

    @property
    def latency(self) -> float:
        return self.end - self.start


class Recorder:
    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.samples: list[Sample] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.monotonic() - self.t0

    def add(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)


# --- A minimal HTTP client with a cookie jar --------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One simulated browser: its own cookies, one new connection per request.

    gunicorn's sync workers close the connection after each response anyway.
    """

    def __init__(self, port: int, recorder: Recorder) -> None:
        self.port = port
        self.recorder = recorder
        self.cookies: dict[str, str] = {}

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply | None:
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        send = {"Host": f"{HOST}:{self.port}", "User-Agent": "ninefold-bench"}
        if body is not None:
            send["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        send.update(headers or {})
        start = self.recorder.now()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=send)
            raw = conn.getresponse()
            data = raw.read()
            reply = Reply(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
            for value in raw.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(value)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
        except (OSError, http.client.HTTPException) as exc:
            self.recorder.add(Sample(kind, start, self.recorder.now(), 0, type(exc).__name__))
            return None
        finally:
            conn.close()
        self.recorder.add(Sample(kind, start, self.recorder.now(), reply.status))
        return reply


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
VERSION_RE = re.compile(r'<input[^>]*name="version"[^>]*>')
VALUE_RE = re.compile(r'value="(\d+)"')


def parse_form(html: str) -> tuple[str, int] | None:
    csrf = CSRF_RE.search(html)
    tag = VERSION_RE.search(html)
    value = VALUE_RE.search(tag.group(0)) if tag else None
    if not csrf or not value:
        return None
    return csrf.group(1), int(value.group(1))


# --- Respondents and readers ------------------------------------------------------------


@dataclass
class Attempt:
    kind: str  # save, autosave, submit
    answers: dict[str, tuple[str, str]]
    outcome: str  # acked, refused (a 4xx: nothing written), unknown (5xx or no reply)
    status: int


@dataclass
class RespondentState:
    token: str
    attempts: list[Attempt] = field(default_factory=list)
    version_mismatches: list[str] = field(default_factory=list)

    @property
    def acked(self) -> list[Attempt]:
        return [a for a in self.attempts if a.outcome == "acked"]


def outcome_of(reply: Reply | None, good) -> str:
    if reply is None or reply.status >= 500:
        return "unknown"
    return "acked" if good(reply) else "refused"


class Respondent(threading.Thread):
    def __init__(self, n, token, port, recorder, stop, codes, values, rng_seed, submit_after):
        super().__init__(name=f"respondent-{n}", daemon=True)
        self.n = n
        self.client = Client(port, recorder)
        self.state = RespondentState(token)
        self.stop = stop
        self.codes = codes
        self.choices = [str(v) for v in values] + ["dk"]
        self.rng = random.Random(rng_seed)
        self.submit_after = submit_after
        self.answers: dict[str, tuple[str, str]] = dict.fromkeys(codes, ("", ""))
        self.seq = 0
        self.submitted = False
        self.base = f"/r/{token}/"

    def _changed_answers(self) -> dict[str, tuple[str, str]]:
        """Every save changes something: one evidence note always carries a new number."""
        self.seq += 1
        new = dict(self.answers)
        for code in self.codes:
            choice = self.rng.choice(self.choices)
            new[code] = (choice, new[code][1])
        code = self.rng.choice(self.codes)
        new[code] = (new[code][0], f"Respondent {self.n}, change {self.seq}.")
        return new

    def _payload(self, answers, csrf, version, action=None) -> dict[str, str]:
        data = {"csrfmiddlewaretoken": csrf, "version": str(version)}
        for code, (choice, evidence) in answers.items():
            if choice:
                data[f"{code}-choice"] = choice
            data[f"{code}-evidence"] = evidence
        if action:
            data["action"] = action
        return data

    def _record(self, kind, answers, reply, good) -> bool:
        outcome = outcome_of(reply, good)
        status = reply.status if reply is not None else 0
        self.state.attempts.append(Attempt(kind, answers, outcome, status))
        if outcome == "acked":
            self.answers = answers
        return outcome == "acked"

    def _get_form(self) -> tuple[str, int] | None:
        path = self.base + ("?amend" if self.submitted else "")
        reply = self.client.request("form_get", "GET", path)
        if reply is None or reply.status != 200:
            return None
        return parse_form(reply.text)

    def _pause(self, failed: bool) -> None:
        # A person's think time is not modelled: the point is pressure. After a failure,
        # back off a little so a broken server is not hammered in a tight loop.
        if failed:
            self.stop.wait(0.25 + self.rng.random() * 0.25)

    def cycle(self) -> bool:
        got = self._get_form()
        if got is None:
            return False
        csrf, version = got
        answers = self._changed_answers()
        if self.submitted or len(self.state.acked) >= self.submit_after:
            return self.submit(csrf, version, answers)
        reply = self.client.request(
            "save", "POST", self.base, self._payload(answers, csrf, version, "save")
        )
        acked = self._record(
            "save",
            answers,
            reply,
            lambda r: r.status == 302 and r.headers.get("location", "").endswith(self.base),
        )
        if not acked or self.rng.random() >= 0.3:
            return acked
        # Autosave as the page's script does, from the version the save moved to
        # (a response is created at version 1, so the first save leaves it at 2).
        after_save = version + 1 if version else 2
        answers = self._changed_answers()
        reply = self.client.request(
            "autosave",
            "POST",
            self.base + "autosave/",
            self._payload(answers, csrf, after_save),
            {"X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest"},
        )

        def saved(r: Reply) -> bool:
            if r.status != 200:
                return False
            data = json.loads(r.body)
            if data.get("status") == "saved" and data.get("version") != after_save + 1:
                self.state.version_mismatches.append(f"autosave said {data.get('version')}")
            return data.get("status") == "saved"

        return self._record("autosave", answers, reply, saved)

    def submit(self, csrf, version, answers) -> bool:
        reply = self.client.request(
            "submit", "POST", self.base, self._payload(answers, csrf, version, "submit")
        )
        acked = self._record(
            "submit",
            answers,
            reply,
            lambda r: r.status == 302 and r.headers.get("location", "").endswith("/done/"),
        )
        if acked:
            self.submitted = True
        return acked

    def run(self) -> None:
        for _ in range(MAX_ITERATIONS):
            if self.stop.is_set():
                break
            self._pause(not self.cycle())
        # Finally, everyone who has not submitted yet submits (a few tries, bounded).
        for _ in range(10):
            if self.submitted:
                break
            got = self._get_form()
            if got is None or not self.submit(*got, self._changed_answers()):
                time.sleep(0.5)


class Reader(threading.Thread):
    def __init__(self, n, client, paths, stop):
        super().__init__(name=f"reader-{n}", daemon=True)
        self.client = client
        self.paths = paths  # [(kind, path)]
        self.stop = stop

    def run(self) -> None:
        for _ in range(MAX_ITERATIONS):
            if self.stop.is_set():
                break
            for kind, path in self.paths:
                reply = self.client.request(kind, "GET", path)
                if reply is None or reply.status != 200:
                    self.stop.wait(0.25)


# --- Setup --------------------------------------------------------------------------------


@dataclass
class Fixture:
    slug: str
    round_id: int
    tokens: list[str]
    readers: list[tuple[str, str]]  # (email, password)
    codes: list[str]
    values: list[int]


def server_env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        TASKS_BACKEND="immediate",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        # The bench talks plain HTTP on loopback: these switch off whatever would insist on
        # HTTPS (names read by the hardened production settings; unknown names are ignored).
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def recreate_database(db_name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')


def setup(db_url: str, n_respondents: int, n_readers: int) -> Fixture:
    """Migrate, collect static files and create the data through the app's services."""
    os.environ.update(server_env(db_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "ninefold.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from assessments.models import Perspective
    from assessments.services.invitations import invitation_create
    from assessments.services.rounds import round_create, round_open
    from places.models import Membership, Role, Sector
    from places.services import partner_create, place_create
    from preconditions.models import Framework

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    password = secrets.token_urlsafe(18)
    lead = User.objects.create_user(email="lead@bench.example", password=password)
    place = place_create(name="Benchmark Borough", creator=lead)
    sectors = [Sector.LOCAL_AUTHORITY, Sector.NHS, Sector.HOUSING, Sector.VOLUNTARY_COMMUNITY]
    partners = [
        partner_create(place=place, actor=lead, name=f"Bench partner {i}", sector=sector)
        for i, sector in enumerate(sectors, 1)
    ]
    framework = Framework.objects.get(is_default=True)
    today = timezone.localdate()
    rnd = round_create(
        place=place,
        actor=lead,
        name="Load round",
        purpose="Measure the app under load.",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=14),
        framework=framework,
    )
    rnd = round_open(round=rnd, actor=lead)
    perspectives = list(Perspective.values)
    tokens = []
    with transaction.atomic():
        for i in range(n_respondents):
            invitation = invitation_create(
                round=rnd,
                actor=lead,
                name=f"Respondent {i}",
                email=f"respondent{i}@bench.example",
                partner=partners[i % len(partners)],
                perspective=perspectives[i % len(perspectives)],
            )
            # invitation_create's token is a placeholder that is never shown: issue one
            # the bench knows, as the invitation email would.
            tokens.append(invitation.set_new_token())
            invitation.save(update_fields=["token_hash"])
    readers = []
    for i in range(n_readers):
        email = f"board{i}@bench.example"
        user = User.objects.create_user(email=email, password=password)
        Membership.objects.create(user=user, place=place, role=Role.BOARD)
        readers.append((email, password))
    codes = list(framework.preconditions.order_by("order").values_list("code", flat=True))
    values = list(framework.scale.values_list("value", flat=True))
    return Fixture(place.slug, rnd.pk, tokens, readers, codes, values)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, port: int, workers: int, env: dict[str, str], log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        cmd = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "ninefold.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            str(int(REQUEST_TIMEOUT)),
            "--graceful-timeout",
            "5",
            # gunicorn 27's control socket has one default path per user: a second server
            # on the machine (another checkout, the real app) would fight over it.
            "--no-control-socket",
        ]
        # Its own process group, so that Ctrl-C reaches the bench first and the bench
        # stops exactly this server and its workers.
        self.proc = subprocess.Popen(  # noqa: S603
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def workers(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.proc.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}: see its log")
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 1):
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start listening in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()


def sign_in(client: Client, email: str, password: str) -> None:
    page = client.request("sign_in", "GET", "/accounts/sign-in/")
    if page is None or page.status != 200:
        raise RuntimeError(f"sign-in page: {page and page.status}")
    csrf = CSRF_RE.search(page.text)
    reply = client.request(
        "sign_in",
        "POST",
        "/accounts/sign-in/",
        {"csrfmiddlewaretoken": csrf.group(1), "username": email, "password": password},
    )
    if reply is None or reply.status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"signing in {email} failed: {reply and reply.status}")


# --- Faults -------------------------------------------------------------------------------


@dataclass
class FaultLog:
    kind: str = "none"
    injected_at: float | None = None
    done_at: float | None = None
    detail: str = ""


def process_state(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "?"


def inject_fault(kind, at, server: Gunicorn, recorder: Recorder, stop, log: FaultLog) -> None:
    if stop.wait(at):
        return
    log.injected_at = recorder.now()
    if kind == "worker":
        victims = server.workers()
        if not victims:
            log.detail = "no worker found"
            return
        # Prefer a worker caught running (state R: in the middle of a request rather than
        # waiting in accept()), so that the kill cuts a request off; look for up to 2 s.
        victim, busy = victims[0], False
        for _ in range(200):
            running = [pid for pid in victims if process_state(pid) == "R"]
            if running:
                victim, busy = running[0], True
                break
            time.sleep(0.01)
        os.kill(victim, signal.SIGKILL)  # a child of the gunicorn the bench started
        state = "running" if busy else "not seen running"
        log.detail = f"SIGKILL to worker {victim} ({state}) of {victims}"
        for _ in range(100):  # bounded: until the master has replaced it (<= 10 s)
            if victim not in server.workers() and len(server.workers()) >= len(victims):
                break
            time.sleep(0.1)
        log.detail += f"; workers now {server.workers()}"
    elif kind == "postgres":
        print(
            "WARNING: restarting the machine's shared PostgreSQL server now "
            "(other sessions' connections will drop)",
            flush=True,
        )
        result = subprocess.run(PG_RESTART, capture_output=True, text=True, timeout=120)  # noqa: S603
        log.detail = f"{' '.join(PG_RESTART)} -> exit {result.returncode} {result.stderr.strip()}"
    log.done_at = recorder.now()


# --- Reporting ----------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def report(samples: list[Sample], window: tuple[float, float], fault: FaultLog) -> dict:
    lines = []
    begin, end = window
    in_window = [s for s in samples if begin <= s.start < end]
    elapsed = end - begin
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in in_window:
        by_kind[s.kind].append(s)
    summary = {"elapsed_s": round(elapsed, 1), "requests": len(in_window), "kinds": {}}
    ok = sum(1 for s in in_window if s.ok)
    summary["throughput_rps"] = round(len(in_window) / elapsed, 1)
    summary["ok_rps"] = round(ok / elapsed, 1)
    lines.append(
        f"{len(in_window)} requests in {elapsed:.1f} s: {len(in_window) / elapsed:.1f} req/s "
        f"({ok / elapsed:.1f} req/s answered 2xx/3xx)"
    )
    lines.append(
        f"{'kind':<14}{'count':>7}{'ok':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for kind in sorted(by_kind):
        group = by_kind[kind]
        lat = sorted(s.latency * 1000 for s in group if s.ok)
        row = {
            "count": len(group),
            "ok": len(lat),
            "p50_ms": round(percentile(lat, 50)),
            "p95_ms": round(percentile(lat, 95)),
            "p99_ms": round(percentile(lat, 99)),
            "max_ms": round(lat[-1]) if lat else None,
        }
        summary["kinds"][kind] = row
        lines.append(
            f"{kind:<14}{row['count']:>7}{row['ok']:>7}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['p99_ms']:>9}{row['max_ms'] or 0:>9}"
        )
    errors = Counter(
        (s.kind, s.status or f"no reply ({s.error})") for s in samples if not s.ok
    )  # all samples: the final submits run after the window
    summary["errors"] = {f"{k} {v}": n for (k, v), n in sorted(errors.items(), key=str)}
    lines.append(
        "errors by kind and status: "
        + (", ".join(f"{k} {v}: {n}" for (k, v), n in sorted(errors.items(), key=str)) or "none")
    )
    if fault.injected_at is not None:
        t = fault.injected_at
        failed = [s for s in samples if not s.ok and s.end >= t]
        after_fault = [s for s in samples if s.start >= t]
        first_fail = min((s.end for s in failed), default=None)
        last_fail = max((s.end for s in failed), default=None)
        recovered = None
        if last_fail is not None:
            later_ok = [s for s in after_fault if s.ok and s.start >= last_fail]
            recovered = min((s.end for s in later_ok), default=None)
        fault_summary = {
            "kind": fault.kind,
            "injected_after_load_start_s": round(t - begin, 2),
            "injection_took_s": round((fault.done_at or t) - t, 2),
            "detail": fault.detail,
            "failed_requests_after_fault": len(failed),
            "first_failure_after_s": None if first_fail is None else round(first_fail - t, 2),
            "last_failure_after_s": None if last_fail is None else round(last_fail - t, 2),
            "recovered_after_s": None if recovered is None else round(recovered - t, 2),
        }
        summary["fault"] = fault_summary
        lines.append(f"fault: {json.dumps(fault_summary)}")

        # Second by second around the fault: requests that ended answered / failed.
        timeline = []
        for second in range(-3, 11):
            lo, hi = t + second, t + second + 1
            ended = [s for s in samples if lo <= s.end < hi]
            timeline.append((second, sum(s.ok for s in ended), sum(not s.ok for s in ended)))
        fault_summary["timeline"] = timeline
        lines.append(
            "answered/failed per second from the fault: "
            + " ".join(f"{sec:+d}s:{ok}/{bad}" for sec, ok, bad in timeline)
        )
        if failed:
            statuses = Counter(s.status or f"no reply ({s.error})" for s in failed)
            lines.append(f"failures after the fault by status: {dict(statuses)}")
    print("\n".join(lines), flush=True)
    return summary


def verify(fixture: Fixture, respondents: list[Respondent]) -> dict:
    """Every acknowledged save is in the database, none twice; acknowledged submits stand."""
    from django.db import connection
    from django.db.models import Count

    from assessments.models import Invitation, Rating, ResponseStatus
    from assessments.services.responses import Answer

    connection.close()  # it may predate a PostgreSQL restart
    problems: list[str] = []
    totals = Counter()
    by_hash = {
        inv.token_hash: inv
        for inv in Invitation.objects.filter(round_id=fixture.round_id).select_related("response")
    }
    from assessments.models import hash_token

    for r in respondents:
        st = r.state
        inv = by_hash[hash_token(st.token)]
        acked = st.acked
        unknown = [a for a in st.attempts if a.outcome == "unknown"]
        totals["acknowledged saves"] += len(acked)
        totals["acknowledged submits"] += sum(1 for a in acked if a.kind == "submit")
        totals["unknown outcomes"] += len(unknown)
        totals["refused"] += sum(1 for a in st.attempts if a.outcome == "refused")
        problems += [f"{st.token[:6]}…: {m}" for m in st.version_mismatches]
        response = getattr(inv, "response", None)
        if response is None:
            if acked:
                problems.append(f"{inv.name}: {len(acked)} acknowledged saves but no response")
            continue
        applied = response.version - 1  # a response starts at 1; each change adds one
        if applied < len(acked):
            problems.append(
                f"{inv.name}: version {response.version} < 1 + {len(acked)} acknowledged saves"
            )
        if applied > len(acked) + len(unknown):
            problems.append(
                f"{inv.name}: version {response.version} counts more saves than were made "
                f"({len(acked)} acknowledged + {len(unknown)} unknown)"
            )
        if applied > len(acked):
            totals["saves applied but not acknowledged (reply lost)"] += applied - len(acked)
        if applied == len(acked):
            totals["responses whose version equals 1 + acknowledged saves"] += 1
        if any(a.kind == "submit" for a in acked) and response.status != ResponseStatus.SUBMITTED:
            problems.append(f"{inv.name}: acknowledged submit but status {response.status}")
        if response.status == ResponseStatus.SUBMITTED:
            totals["submitted responses"] += 1
        ratings = {
            rt.precondition.code: Answer.from_rating(rt)
            for rt in response.ratings.select_related("precondition")
        }
        stored = {
            c: (ratings.get(c, Answer()).choice, ratings.get(c, Answer()).evidence)
            for c in fixture.codes
        }
        # What is stored must be the last acknowledged answers, or a later attempt whose
        # reply was lost (it may have been applied without the client knowing).
        last_ack = max((i for i, a in enumerate(st.attempts) if a.outcome == "acked"), default=-1)
        allowed = [st.attempts[last_ack].answers] if last_ack >= 0 else []
        allowed += [a.answers for a in st.attempts[last_ack + 1 :] if a.outcome == "unknown"]
        if allowed and stored not in allowed:
            problems.append(f"{inv.name}: stored answers are not the last acknowledged ones")
        elif allowed:
            totals["responses holding their last acknowledged (or later) answers"] += 1
    duplicates = (
        Rating.objects.filter(response__invitation__round_id=fixture.round_id)
        .values("response_id", "precondition_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    totals["ratings"] = Rating.objects.filter(
        response__invitation__round_id=fixture.round_id
    ).count()
    if duplicates:
        problems.append(f"{duplicates} (response, precondition) pairs have more than one rating")
    result = {"totals": dict(totals), "duplicate_ratings": duplicates, "problems": problems}
    print("verification:", json.dumps(dict(totals)), flush=True)
    print(f"duplicate ratings: {duplicates}", flush=True)
    print("problems: " + ("; ".join(problems) if problems else "none"), flush=True)
    return result


# --- Main ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--fault", choices=["none", "worker", "postgres"], default="none")
    parser.add_argument("--fault-at", type=float, help="seconds into the run (default 1/3)")
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default="ninefold_load")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--dashboard",
        default="/places/{slug}/rounds/{round}/dashboard/",
        help="the round dashboard's path; read in the loop only if it answers 200",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    if not 1 <= args.duration <= 3600:
        parser.error("--duration must be between 1 and 3600 seconds")
    if args.fault == "postgres":
        print(
            "WARNING: --fault postgres restarts the machine's shared PostgreSQL server once.",
            flush=True,
        )

    db_url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    t_setup = time.monotonic()
    recreate_database(args.db)
    fixture = setup(db_url, args.respondents, args.readers)
    print(
        f"setup: database {args.db}, place {fixture.slug}, round {fixture.round_id}, "
        f"{len(fixture.tokens)} invitations, {len(fixture.readers)} board members "
        f"({time.monotonic() - t_setup:.1f} s)",
        flush=True,
    )
    log_dir = ROOT / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = Gunicorn(
        port, args.workers, server_env(db_url), log_dir / f"gunicorn-{args.fault}.log"
    )
    stop = threading.Event()

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)  # even when started with SIGINT ignored (a `&` job)
    try:
        server.wait_ready()
        print(f"gunicorn pid {server.proc.pid} on {HOST}:{port}, workers {server.workers()}")
        recorder = Recorder()
        probe = Client(port, recorder).request("probe", "GET", f"/r/{fixture.tokens[0]}/")
        if probe is None or probe.status != 200:
            status = probe and probe.status
            location = probe and probe.headers.get("location")
            raise RuntimeError(f"the respondent form answered {status} {location or ''}")
        readers = []
        dash = args.dashboard.format(slug=fixture.slug, round=fixture.round_id)
        paths = [("place_get", f"/places/{fixture.slug}/")]
        for i, (email, password) in enumerate(fixture.readers):
            client = Client(port, recorder)
            sign_in(client, email, password)
            if i == 0:
                probe = client.request("probe", "GET", dash)
                if probe is not None and probe.status == 200:
                    paths.append(("dashboard_get", dash))
                print(
                    f"dashboard {dash}: {probe and probe.status} -> "
                    f"{'read in the loop' if len(paths) > 1 else 'skipped'}"
                )
            readers.append(Reader(i, client, paths, stop))
        rng = random.Random(args.seed)
        respondents = [
            Respondent(
                i,
                token,
                port,
                recorder,
                stop,
                fixture.codes,
                fixture.values,
                rng.random(),
                rng.randint(4, 40),
            )
            for i, token in enumerate(fixture.tokens)
        ]
        fault = FaultLog(args.fault)
        begin = recorder.now()
        threads = respondents + readers
        for t in threads:
            t.start()
        fault_thread = None
        if args.fault != "none":
            at = args.fault_at if args.fault_at is not None else args.duration / 3
            fault_thread = threading.Thread(
                target=inject_fault,
                args=(args.fault, at, server, recorder, stop, fault),
                daemon=True,
            )
            fault_thread.start()
        stop.wait(args.duration)
        stop.set()
        end = recorder.now()
        for t in threads:
            t.join(REQUEST_TIMEOUT * 12)
        if fault_thread:
            fault_thread.join(130)
        alive = [t.name for t in threads if t.is_alive()]
        if alive:
            print(f"WARNING: threads still running: {alive}")
        print(
            f"--- {args.fault} run: {args.respondents} respondents, {args.readers} readers, "
            f"{args.workers} gunicorn workers, {os.cpu_count()} CPUs ---"
        )
        results = report([s for s in recorder.samples if s.kind != "probe"], (begin, end), fault)
        log_text = server.log_path.read_text(errors="replace")
        results["server_log"] = {
            "internal_server_errors": log_text.count("Internal Server Error"),
            "service_unavailable": log_text.count("Service Unavailable"),
            "tracebacks": log_text.count("Traceback"),
        }
        print(f"gunicorn log ({server.log_path.name}): {json.dumps(results['server_log'])}")
        results["verification"] = verify(fixture, respondents)
        results["args"] = {k: str(v) for k, v in vars(args).items()}
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        return 1 if results["verification"]["problems"] else 0
    finally:
        stop.set()
        server.stop()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: gunicorn stopped, results discarded", file=sys.stderr)
        sys.exit(130)
