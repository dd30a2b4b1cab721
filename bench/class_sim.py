"""One semester of a class, written through the real push path, then reported.

    .venv/bin/python bench/class_sim.py --students 1000 --workers 2

Starts a PostgreSQL cluster of its own (Debian's package, durable settings),
creates a class, publishes a synthetic deck (bench/synth.py, one source text,
12 sections of 100 cards), and for each student: joins with the invitation
(a real login role), copies a collection that pulled the deck, simulates a
semester of study with the real FSRS scheduler into the local review log, and
pushes it with studyapp.core.classroom.push.push (batches of 2,000 through
row-level security and the rollup trigger). Then it measures the server's size
and the class report. Results go to bench/results/class-sim-<N>.json.
"""

from __future__ import annotations

import argparse
import heapq
import json
import multiprocessing
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import psycopg  # noqa: E402
import synth  # noqa: E402

from studyapp.core.classroom.config import load_config, save_config  # noqa: E402
from studyapp.core.classroom.publish import publish  # noqa: E402
from studyapp.core.classroom.push import push  # noqa: E402
from studyapp.core.classroom.report import class_report  # noqa: E402
from studyapp.core.classroom.server import (  # noqa: E402
    create_class,
    create_invitation,
    init_server,
)
from studyapp.core.classroom.student import join, pull  # noqa: E402
from studyapp.core.library import DB_NAME, Library  # noqa: E402
from studyapp.core.model import CardState, Rating, State  # noqa: E402
from studyapp.core.store.database import Store  # noqa: E402
from studyapp.core.study.scheduling import Scheduler  # noqa: E402
from tests.classroom.pgcluster import running_cluster  # noqa: E402

START = datetime(2026, 2, 2, tzinfo=UTC)
PASSWORD = "bench-instructor-password"
SERVER_SETTINGS = "-c shared_buffers=1GB -c max_wal_size=4GB -c work_mem=64MB"


def simulate(
    card_ids: list[int], seed: int, days: int, new_per_day: int
) -> list[tuple[Any, ...]]:
    """A student's semester: review rows (card, ms, rating, ms taken, state before,
    before, stability, difficulty, due ms) from the real FSRS scheduler."""
    rng = random.Random(seed)
    scheduler = Scheduler()
    ability = rng.uniform(0.75, 1.05)  # scales the predicted recall
    diligence = rng.uniform(0.6, 1.0)  # share of days studied
    new_today = max(1, int(new_per_day * rng.uniform(0.7, 1.3)))
    states: dict[int, CardState] = {}
    due: list[tuple[datetime, int]] = []
    unseen = list(card_ids)
    rows: list[tuple[Any, ...]] = []
    for day in range(days):
        if rng.random() > diligence:
            continue
        t = START + timedelta(days=day, hours=rng.uniform(7, 20))
        end = START + timedelta(days=day + 1)
        introduced = 0
        while True:
            if due and due[0][0] <= t:
                _, card = heapq.heappop(due)
            elif introduced < new_today and unseen:
                card = unseen.pop(0)
                introduced += 1
            elif due and due[0][0] < min(end, t + timedelta(minutes=20)):
                t = due[0][0]  # wait for a learning step
                continue
            else:
                break
            state = states.get(card) or CardState(card, State.NEW, t)
            recall = scheduler.retrievability(state, t) if state.reps else 0.35
            right = rng.random() < min(0.98, recall * ability)
            rating = (
                Rating.AGAIN
                if not right
                else rng.choices((Rating.HARD, Rating.GOOD, Rating.EASY), (1, 6, 1))[0]
            )
            after = scheduler.review(state, rating, t)
            states[card] = after
            heapq.heappush(due, (after.due, card))
            ms = int(t.timestamp() * 1000)
            taken = int(rng.uniform(3, 25) * 1000)
            rows.append(
                (
                    card,
                    ms,
                    int(rating),
                    taken,
                    int(state.state),
                    "{}",
                    after.stability,
                    after.difficulty,
                    int(after.due.timestamp() * 1000),
                )
            )
            t += timedelta(milliseconds=taken + 2000)
    return rows


EXAM_DAYS = (49, 98)
EXAM_QUESTIONS = 30


def take_exams(
    store: Store,
    rows: list[tuple[Any, ...]],
    deck_id: str,
    sections: dict[int, str],
    seed: int,
) -> int:
    """Two practice exams over the cards studied so far; score from the last
    rating before the exam (right unless it was Again). Returns answers."""
    rng = random.Random(f"exam:{seed}")
    answers = 0
    for number, day in enumerate(EXAM_DAYS, start=1):
        at = int((START + timedelta(days=day, hours=21)).timestamp() * 1000)
        last: dict[int, int] = {}
        for card, ms, rating, *_ in rows:
            if ms < at:
                last[card] = rating
        if not last:
            continue
        asked = rng.sample(sorted(last), min(EXAM_QUESTIONS, len(last)))
        store.execute(
            "INSERT INTO exams (id, started_at, finished_at, score, questions)"
            " VALUES (?, ?, ?, 0, ?)",
            (number, at - 1_200_000, at, len(asked)),
        )
        for position, card in enumerate(asked):
            right = last[card] != int(Rating.AGAIN) and rng.random() < 0.9
            store.execute(
                "INSERT INTO exam_answers (exam_id, position, question_type,"
                " card_id, deck_id, kind, source_ref, section, prompt,"
                " correct_answer, score) VALUES (?, ?, 'multiple_choice', ?,"
                " ?, 'basic', 'synth', ?, 'q', 'a', ?)",
                (number, position, card, deck_id, sections[card], float(right)),
            )
            answers += 1
    return answers


def run_students(job: dict[str, Any]) -> list[dict[str, float]]:
    """A worker: join, copy the template collection, simulate, push."""
    out = []
    for index in job["students"]:
        folder = Path(job["work"]) / f"s{index:05d}"
        join(folder, job["link"])
        shutil.copy(job["template_db"], folder / DB_NAME)
        config = load_config(folder)
        assert config is not None
        save_config(folder, replace(config, decks=job["decks"]))
        t0 = time.perf_counter()
        rows = simulate(job["card_ids"], index, job["days"], job["new_per_day"])
        store = Store.open(folder / DB_NAME)
        with store.transaction():
            store.conn.executemany(
                "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms,"
                " state_before, before, stability, difficulty, due)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            exam_answers = take_exams(
                store, rows, job["deck_id"], job["sections"], index
            )
        t1 = time.perf_counter()
        result = push(store, folder, now=START + timedelta(days=job["days"] + 1))
        t2 = time.perf_counter()
        store.close()
        assert result.reviews_new == len(rows), result
        assert result.exam_answers_new == exam_answers, result
        out.append({"events": len(rows), "simulate_s": t1 - t0, "push_s": t2 - t1})
        shutil.rmtree(folder)
        if len(out) % 50 == 0:
            print(f"worker {job['students'][0]}: {len(out)} students", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=1000)
    ap.add_argument("--cards", type=int, default=1200)
    ap.add_argument("--days", type=int, default=105)
    ap.add_argument("--new-per-day", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reports", type=int, default=7, help="report runs to time")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="class-sim-"))
    results: dict[str, Any] = {"args": vars(args), "server_settings": SERVER_SETTINGS}
    with running_cluster(durable=True, settings=SERVER_SETTINGS) as cluster:
        with psycopg.connect(cluster.admin_url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE sim")
            results["postgres"] = conn.execute("SELECT version()").fetchone()[0]
        admin = cluster.admin_url("sim")
        init_server(admin, today=START.date())
        create_class(
            admin,
            "course",
            title="One semester",
            instructor="prof",
            password=PASSWORD,
            exam_at=START + timedelta(days=args.days + 7),
        )
        prof = cluster.tcp_url("sim").replace("://", f"://prof:{PASSWORD}@")
        data = synth.build(args.cards, work / "deck")
        publish(prof, "course", [data.yaml_path])
        link = create_invitation(
            prof, "course", uses=args.students + 1, valid=timedelta(days=1)
        )
        template = work / "template"
        join(template, link)
        library = Library.open(template)
        pull(library, template, now=START)
        card_ids = library.store.card_ids(data.deck_id)
        sections = dict(
            library.store.execute(
                "SELECT c.id, n.section FROM cards c JOIN notes n"
                " ON n.deck_id = c.deck_id AND n.note_id = c.note_id"
            ).fetchall()
        )
        library.close()
        decks = (load_config(template) or exit(1)).decks
        job = {
            "link": link,
            "template_db": str(template / DB_NAME),
            "decks": decks,
            "card_ids": card_ids,
            "sections": sections,
            "deck_id": data.deck_id,
            "days": args.days,
            "new_per_day": args.new_per_day,
            "work": str(work),
        }
        slices = [
            list(range(w, args.students, args.workers)) for w in range(args.workers)
        ]
        began = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            per_student = [
                r
                for part in pool.map(
                    run_students, [{**job, "students": s} for s in slices]
                )
                for r in part
            ]
        wall = time.perf_counter() - began
        events = sum(r["events"] for r in per_student)
        push_s = sum(r["push_s"] for r in per_student)
        results["ingest"] = {
            "students": len(per_student),
            "events": events,
            "events_per_student_median": statistics.median(
                r["events"] for r in per_student
            ),
            "wall_s": wall,
            "push_s_total": push_s,
            "events_per_s_per_pusher": events / push_s,
            "events_per_s_wall": events / wall,
            "push_s_per_student_median": statistics.median(
                r["push_s"] for r in per_student
            ),
        }
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            size = dict(
                conn.execute(
                    "SELECT 'database', pg_database_size('sim') UNION ALL"
                    " SELECT 'review_events',"
                    " sum(pg_total_relation_size(inhrelid))::bigint FROM pg_inherits"
                    " WHERE inhparent = 'studyapp.review_events'::regclass"
                    " UNION ALL SELECT 'card_progress',"
                    " pg_total_relation_size('studyapp.card_progress')"
                    " UNION ALL SELECT 'progress_rows', count(*)"
                    " FROM studyapp.card_progress"
                ).fetchall()
            )
            results["size_bytes"] = size
            raw_s = time.perf_counter()
            conn.execute(
                "SELECT deck_id, note_id, ord, count(*) FROM (SELECT DISTINCT ON"
                " (class_id, deck_id, note_id, ord, student_id) * FROM"
                " studyapp.review_events WHERE class_id = 'course' ORDER BY class_id,"
                " deck_id, note_id, ord, student_id, reviewed_at DESC) latest"
                " GROUP BY 1, 2, 3"
            ).fetchall()
            results["latest_state_from_raw_events_s"] = time.perf_counter() - raw_s
        at = START + timedelta(days=args.days)
        timings = []
        for _ in range(args.reports):
            t = time.perf_counter()
            report = class_report(prof, "course", now=at)
            timings.append(time.perf_counter() - t)
        results["report_s"] = {
            "runs": timings,
            "median": statistics.median(timings),
            "first": timings[0],
        }
        results["report"] = asdict(report)
        results["report_sample"] = {
            "students": report.students,
            "sections": [
                (s.section, round(s.studied, 3), round(s.class_recall_exam, 3))
                for s in report.sections
            ],
            "weakest": [
                (c.note_id, round(c.class_recall_exam, 3)) for c in report.weakest[:5]
            ],
        }
    shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench" / "results" / f"class-sim-{args.students}.json"
    out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
