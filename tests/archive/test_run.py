"""A batch with a results table: nothing analysed twice, failures retried a bounded number of times."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from formcheck.archive.run import ArchivedRun, plan_line, run_archived
from formcheck.archive.store import MAX_ATTEMPTS, ResultsStore
from formcheck.batch import Job, Outcome, format_batch_table, run_batch


def fake_report(video: Path) -> dict[str, Any]:
    """A report of the shape analyze_file returns: two reps (one partial) and one hold."""
    return {
        "formcheck_version": "test",
        "exercise": "bridge",
        "side": "left",
        "frames": 30,
        "duration_s": 1.0,
        "pose_detected_ratio": 1.0,
        "reps": 1,
        "partial_reps": 1,
        "rep_events": [
            {"start_s": 0.1, "peak_s": 0.3, "end_s": 0.5, "complete": True, "peak_value": 20.5, "side": "left",
             "faults": ["hips_sag", "too_fast"]},
            {"start_s": 0.6, "peak_s": 0.7, "end_s": 0.9, "complete": False, "peak_value": 9.0, "side": "left",
             "faults": []},
        ],
        "holds": [{"start_s": 0.2, "end_s": 0.8, "duration_s": 0.6, "side": None}],
        "faults": [{"t_s": 0.3, "code": "hips_sag", "message": "lift the hips"}],
        "complete": True,
    }  # fmt: skip


class FakeAnalysis:
    """Counts its calls; fails on files named *bad*; writes the report a job asks for."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, job: Job) -> Outcome:
        self.calls.append(job.video.name)
        if "bad" in job.video.name:
            return Outcome(str(job.video), "failed", f"{job.video}: not a video file", 0.01, worker="here:1")
        report = fake_report(job.video)
        if job.report is not None:
            job.report.write_text(json.dumps(report))
        return Outcome(str(job.video), "done", "", 0.01, report, worker="here:1")


def videos(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_bytes(f"the bytes of {name}".encode())
    return [folder / name for name in names]


def jobs_for(paths: list[Path], reports: Path | None = None) -> list[Job]:
    return [
        Job(p, "bridge", None, "auto", reports / f"{p.stem}.json" if reports else None, None, None, None) for p in paths
    ]


def run(db: Path, jobs: list[Job], work: Callable[[Job], Outcome]) -> ArchivedRun:
    with ResultsStore.open(db) as store:
        return run_archived(jobs, 1, store, execute=lambda j, n, cb: run_batch(j, n, cb, work=work))


def test_a_rerun_analyses_nothing_twice(tmp_path: Path):
    reports = tmp_path / "reports"
    reports.mkdir()
    jobs = jobs_for(videos(tmp_path / "v", "a.mp4", "b.mp4", "c.mp4"), reports)
    work = FakeAnalysis()
    first = run(tmp_path / "r.sqlite", jobs, work)
    assert (first.skipped, [o.status for o in first.outcomes]) == (0, ["done"] * 3)
    assert sorted(work.calls) == ["a.mp4", "b.mp4", "c.mp4"]
    second = run(tmp_path / "r.sqlite", jobs, work)
    assert (second.skipped, second.outcomes, second.interrupted) == (3, [], False)
    assert len(work.calls) == 3
    # A new file in the folder is the only one analysed.
    more = jobs + jobs_for(videos(tmp_path / "v", "d.mp4"), reports)
    assert run(tmp_path / "r.sqlite", more, work).skipped == 3
    assert work.calls[3:] == ["d.mp4"]
    # A done file whose report was deleted is analysed again (its report is asked for).
    (reports / "b.json").unlink()
    assert [Path(o.video).name for o in run(tmp_path / "r.sqlite", more, work).outcomes] == ["b.mp4"]
    assert (reports / "b.json").is_file()


def test_the_summary_line_counts_the_skipped_files():
    done = Outcome("x.mp4", "done", report={**fake_report(Path("x")), "faults": []})
    assert "5 files: 1 done, 4 skipped (done before);" in format_batch_table([done], 1.0, 1, skipped=4)
    nothing_run = format_batch_table([], 0.1, 1, skipped=3)
    assert nothing_run == "3 files: 3 skipped (done before)"  # no empty table, no speed of nothing


def test_a_failed_file_is_recorded_with_its_reason_and_retried_at_most_n_times(tmp_path: Path):
    jobs = jobs_for(videos(tmp_path / "v", "good.mp4", "bad.mp4"))
    work = FakeAnalysis()
    db = tmp_path / "r.sqlite"
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = run(db, jobs, work)
        assert [(Path(o.video).name, o.status) for o in result.outcomes][-1] == ("bad.mp4", "failed")
        assert len(result.outcomes) == (2 if attempt == 1 else 1)  # good.mp4 only the first time
        with sqlite3.connect(db) as c:
            assert c.execute("SELECT status, reason, attempts FROM files WHERE path LIKE '%bad.mp4'").fetchone() == (
                "failed",
                f"{jobs[1].video}: not a video file",
                attempt,
            )
    assert work.calls.count("bad.mp4") == MAX_ATTEMPTS and work.calls.count("good.mp4") == 1
    # Failed for good: reported with its reason, not run again, and still a failure for the exit code.
    for _ in range(2):
        result = run(db, jobs, work)
        (given_up,) = result.outcomes
        assert given_up.status == "failed" and given_up.exit_code == 2
        assert given_up.error == f"{jobs[1].video}: not a video file (failed 3 times; not tried again)"
    assert work.calls.count("bad.mp4") == MAX_ATTEMPTS


def test_a_success_after_a_failure_takes_its_place(tmp_path: Path):
    (video,) = videos(tmp_path / "v", "flaky.mp4")
    db = tmp_path / "r.sqlite"
    run(db, jobs_for([video]), lambda job: Outcome(str(job.video), "failed", "the worker process crashed"))
    result = run(db, jobs_for([video]), FakeAnalysis())
    assert [o.status for o in result.outcomes] == ["done"]
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT status, reason, attempts, reps FROM files").fetchall() == [("done", "", 2, 1)]


def test_an_interrupted_file_is_not_recorded_and_runs_again(tmp_path: Path):
    (video,) = videos(tmp_path / "v", "a.mp4")
    db = tmp_path / "r.sqlite"
    result = run(db, jobs_for([video]), lambda job: Outcome(str(job.video), "interrupted", "stopped"))
    assert result.interrupted
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM files").fetchone() == (0,)
    work = FakeAnalysis()
    assert [o.status for o in run(db, jobs_for([video]), work).outcomes] == ["done"]
    assert work.calls == ["a.mp4"]


def test_the_reps_table_reads_with_plain_sqlite(tmp_path: Path):
    """What pandas' read_sql or DuckDB's sqlite_scan see: one row per rep and per hold, joined to its file."""
    jobs = jobs_for(videos(tmp_path / "v", "a.mp4", "b.mp4"))
    run(tmp_path / "r.sqlite", jobs, FakeAnalysis())
    with sqlite3.connect(f"file:{tmp_path / 'r.sqlite'}?mode=ro", uri=True) as c:
        rows = c.execute(
            "SELECT f.path, r.kind, r.idx, r.start_s, r.peak_s, r.end_s, r.complete, r.side, r.peak_value,"
            " r.duration_s, r.faults FROM reps r JOIN files f ON f.key = r.file_key ORDER BY f.path, r.kind, r.idx"
        ).fetchall()
        per_file = c.execute(
            "SELECT f.path, f.reps, f.partial_reps, f.holds, count(r.idx) FROM files f"
            " JOIN reps r ON r.file_key = f.key GROUP BY f.key ORDER BY f.path"
        ).fetchall()
    a = str(jobs[0].video)
    assert rows[:3] == [
        (a, "hold", 1, 0.2, None, 0.8, 1, None, None, 0.6, ""),
        (a, "rep", 1, 0.1, 0.3, 0.5, 1, "left", 20.5, 0.4, "hips_sag,too_fast"),
        (a, "rep", 2, 0.6, 0.7, 0.9, 0, "left", 9.0, 0.3, ""),
    ]
    assert per_file == [(a, 1, 1, 1, 3), (str(jobs[1].video), 1, 1, 1, 3)]


@pytest.mark.parametrize("status", ["done", "failed"])
def test_each_finished_file_is_committed_as_it_arrives(tmp_path: Path, status: str):
    """A crash after a file's on_done keeps it: the row is visible to another connection at once."""
    videos_ = videos(tmp_path / "v", "a.mp4", "b.mp4")
    db = tmp_path / "r.sqlite"
    seen: list[int] = []

    def work(job: Job) -> Outcome:
        with sqlite3.connect(db) as other:
            seen.append(other.execute("SELECT count(*) FROM files").fetchone()[0])
        return Outcome(
            str(job.video),
            status,
            "why" if status == "failed" else "",
            report={} if status == "failed" else fake_report(job.video),
        )

    run(db, jobs_for(videos_), work)
    assert seen == [0, 1]


def test_a_resumed_run_says_first_what_it_leaves_out(tmp_path: Path, capsys):
    jobs = jobs_for(videos(tmp_path / "v", "a.mp4", "bad.mp4", "c.mp4"))
    db = tmp_path / "r.sqlite"
    for _ in range(MAX_ATTEMPTS):
        run(db, jobs[:2], FakeAnalysis())
    with ResultsStore.open(db) as store:
        run_archived(
            jobs, 1, store, execute=lambda j, n, cb: run_batch(j, n, cb, work=FakeAnalysis()), on_plan=plan_line
        )
    assert capsys.readouterr().err == f"{db}: 1 done before, 1 failed 3 times: not analysed again; 1 to analyse\n"


def test_planning_reads_only_videos_that_may_have_been_recorded(tmp_path: Path, monkeypatch):
    """A new video is hashed after its analysis, not before the batch starts; a renamed copy of a
    recorded one (same size) is read and recognised."""
    import formcheck.archive.store as store_module
    from formcheck.archive.keys import content_sha256

    reads: list[str] = []

    def counting(path: str | Path) -> str:
        reads.append(Path(path).name)
        return content_sha256(path)

    monkeypatch.setattr(store_module, "content_sha256", counting)
    a, b = videos(tmp_path / "v", "a.mp4", "b.mp4")
    db = tmp_path / "r.sqlite"
    seen: list[list[str]] = []

    def work(job: Job) -> Outcome:
        seen.append(list(reads))  # what was read before this file's analysis
        return FakeAnalysis()(job)

    run(db, jobs_for([a, b]), work)
    assert seen == [[], ["a.mp4"]]  # a.mp4 was hashed once it finished, while b.mp4 waited
    assert reads == ["a.mp4", "b.mp4"]
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT video_sha256, size FROM files ORDER BY path").fetchall() == [
            (content_sha256(a), a.stat().st_size),
            (content_sha256(b), b.stat().st_size),
        ]
    copy = tmp_path / "v" / "copy_of_a.mp4"
    copy.write_bytes(a.read_bytes())
    (new,) = videos(tmp_path / "v", "a_much_longer_new_video.mp4")
    reads.clear()
    work_again = FakeAnalysis()
    result = run(db, jobs_for([a, b, copy, new]), work_again)
    assert result.skipped == 3 and work_again.calls == ["a_much_longer_new_video.mp4"]
    assert reads == ["copy_of_a.mp4", "a_much_longer_new_video.mp4"]  # a, b: cached; the new one after


@pytest.mark.parametrize("known", [False, True], ids=["new", "hashed-before"])
def test_a_video_changed_while_it_was_analysed_is_not_recorded(tmp_path: Path, capsys, known: bool):
    (video,) = videos(tmp_path / "v", "growing.mp4")
    reports = tmp_path / "reports"
    reports.mkdir()
    db = tmp_path / "r.sqlite"
    if known:  # recorded once; its report deleted, so it runs again
        run(db, jobs_for([video], reports), FakeAnalysis())
        (reports / "growing.json").unlink()

    def work(job: Job) -> Outcome:
        with job.video.open("ab") as fh:
            fh.write(b" more bytes arrive")  # an upload still being copied
        return FakeAnalysis()(job)

    result = run(db, jobs_for([video], reports), work)
    assert result.not_recorded == 1
    assert f"{video}: changed while it was analysed; not recorded" in capsys.readouterr().err
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM files").fetchone() == (int(known),)
