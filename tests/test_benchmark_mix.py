"""The mixed benchmark run's request list and its reading of wrk's logs (benchmarks/mixed.py): no server, no wrk.

The run itself is `benchmarks/run.py --mixed`; these check the parts whose mistakes would not show as an
error there but as wrong figures: a list that writes less often than it says, or sends the same write
twice while others wait; a failed write counted as a success; a form sent otherwise than a browser would.
"""

import random
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import mixed  # noqa: E402
from browser import BenchmarkError, forms_of  # noqa: E402

THREADS = 16


def _entries(page: str, count: int, method: str = "GET") -> list[mixed.Entry]:
    return [mixed.Entry(page, f"person-{number % 5}", method, f"/{page.replace(' ', '-')}/{number}",
                        "csrf_token=t" if method == "POST" else "") for number in range(count)]


def _mix(length: int = 2000) -> list[mixed.Entry]:
    reads = {"cohort overview": _entries("cohort overview", 30),
             "community progress": _entries("community progress", 12), "call page": _entries("call page", 1)}
    writes = {"write: attendance": _entries("write: attendance", 60, "POST"),
              "write: action done": _entries("write: action done", 7, "POST")}
    return mixed.interleave(reads, writes, length=length, threads=THREADS, rng=random.Random(1))


def _walk(entries: list[mixed.Entry], steps: int) -> list[mixed.Entry]:
    """What wrk's threads send when each has taken `steps` requests, side by side, as mixed.lua walks them."""
    starts = mixed.slice_starts(len(entries), THREADS)
    return [entries[(start + step) % len(entries)] for step in range(steps) for start in starts]


def test_one_request_in_ten_writes_in_every_threads_share_of_the_list():
    entries = _mix()
    starts = mixed.slice_starts(len(entries), THREADS) + [len(entries)]
    for start, end in zip(starts, starts[1:]):
        assert abs(sum(entry.writes for entry in entries[start:end]) - (end - start) / 10) <= 1
    for steps in (10, 30, 60):
        sent = _walk(entries, steps)
        per_thread = [sent[thread::THREADS] for thread in range(THREADS)]
        assert all(sum(entry.writes for entry in requests) == steps // 10 for requests in per_thread)
    kinds = Counter(entry.page for entry in entries if entry.writes)
    assert abs(kinds["write: attendance"] - kinds["write: action done"]) <= 1 and sum(kinds.values()) > 190
    assert {entry.page for entry in entries if not entry.writes} == {"cohort overview", "community progress",
                                                                     "call page"}


def test_no_write_is_sent_twice_until_a_thread_has_sent_its_share_of_them():
    sent = _walk(_mix(), 200)
    for kind, pool in (("write: attendance", 60), ("write: action done", 7)):
        per_thread = [[entry for entry in sent[thread::THREADS] if entry.page == kind] for thread in range(THREADS)]
        share = max(1, pool // THREADS)
        first = [entry for requests in per_thread for entry in requests[:share]]
        assert len(first) == THREADS * share and len(set(first)) == min(pool, THREADS * share)
        # The run outlasts the pool: then each is sent again, and all of them were sent.
        assert {entry for requests in per_thread for entry in requests} == set(_entries(kind, pool, "POST"))


def _log(folder: Path, thread: int, lines: list[str]) -> None:
    (folder / f"thread-{thread}.log").write_text("".join(f"{line}\n" for line in lines))


def test_a_write_counts_as_done_only_when_the_page_accepted_it(tmp_path):
    entries = [mixed.Entry("community progress", "a", "GET", "/p"), mixed.Entry("write: lesson read", "a", "POST", "/l"),
               mixed.Entry("write: action done", "a", "POST", "/x")]
    _log(tmp_path, 0, ["0 200 120000 -", "0 302 2000 /sign-in?next=%2Fp", "1 302 80000 /communities/1/courses/2#l"])
    _log(tmp_path, 1, ["1 302 9000 /sign-in?next=%2Fl", "2 422 50000 -", "2 0 10000000 -", "1 400 3000 -"])
    figures = mixed.read_logs(tmp_path, entries, seconds=2.0)

    progress, lessons, actions = (figures.pages[page] for page in
                                  ("community progress", "write: lesson read", "write: action done"))
    # A read that sent the browser to the sign-in page is not the page.
    assert (progress.requests, progress.failures) == (2, 1)
    assert (lessons.requests, lessons.failures, lessons.statuses) == (3, 2, {302: 2, 400: 1})
    # No answer: a failure without a latency.
    assert (actions.requests, actions.failures) == (1, 2)
    assert figures.writes == 4 and figures.failed_writes == 4
    assert figures.rate("community progress") == 1.0
    assert progress.percentile(0.99) == 120.0 and progress.percentile(0.5) == 2.0
    assert [(entry.path, answer) for entry, answer in figures.failed][:2] == [
        ("/p", "302 -> /sign-in?next=%2Fp"), ("/l", "302 -> /sign-in?next=%2Fl")]


def test_forms_are_sent_as_a_browser_sends_them():
    page = """<form method="post" action="/language"><input name="language" value="uk"></form>
    <form method="post" novalidate>
      <input id="csrf_token" name="csrf_token" type="hidden" value="abc.def">
      <input name="shown" type="hidden" value="7"><input name="shown" type="hidden" value="8">
      <input type="checkbox" name="present" value="7" checked><input type="checkbox" name="present" value="8">
      <select name="status"><option value="planned">Planned</option><option value="done" selected>Done</option></select>
      <select name="owner"><option value="">Nobody yet</option><option value="3">A. B.</option></select>
      <textarea name="result">\r\nFirst line\r\nsecond</textarea>
      <input name="disabled_one" value="x" disabled><button type="submit" name="go" value="1">Save</button>
    </form>"""
    language, form = forms_of(page)
    assert language.action == "/language"
    assert form.action == "" and form.value("csrf_token") == "abc.def"
    assert form.fields == [("csrf_token", "abc.def"), ("shown", "7"), ("shown", "8"), ("present", "7"),
                           ("status", "done"), ("owner", ""), ("result", "First line\r\nsecond")]
    assert form.options["owner"] == ["", "3"]
    assert form.checkboxes == [("present", "7", True), ("present", "8", False)]
    assert form.body({"present": ["7", "8"], "status": "planned"}) == (
        "csrf_token=abc.def&shown=7&shown=8&owner=&result=First+line%0D%0Asecond&present=7&present=8&status=planned")


def test_a_request_that_would_break_the_list_into_two_lines_is_refused():
    entries = [mixed.Entry("write: consultation", "a", "POST", "/c", "summary=one\ntwo")]
    with pytest.raises(BenchmarkError):
        mixed.data_lines(entries, {"a": "session=1"})
    assert mixed.data_lines(entries[:0] + [mixed.Entry("call page", "a", "GET", "/calls/6")], {"a": "s=1"}) == (
        "GET\t/calls/6\ts=1\t\n")
