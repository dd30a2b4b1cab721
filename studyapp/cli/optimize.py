"""`studyapp optimize`: fit FSRS parameters to the review log, judge, adopt."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from studyapp.core.library import Library, utc_now
from studyapp.core.study.optimize import OptimizationResult, StoredRun

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers


def add_commands(sub: Subparsers) -> None:
    """Register the optimize subcommand."""
    parser = sub.add_parser(
        "optimize",
        help="fit the scheduler (FSRS) to your review log; adopt it only if better",
        description="Fit FSRS-6 parameters to your own reviews (fsrs-rs, as in "
        "Anki). The fit sees the earlier three quarters of the log; both the "
        "current and the fitted parameters then predict the later reviews, and "
        "the fit is adopted (refitted on all reviews) only when its log loss is "
        "lower and its RMSE (bins) no higher. Every run is stored.",
    )
    parser.add_argument(
        "--deck", default="", help="only this deck (and its subdecks); default: all"
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="fit and judge, but store and change nothing",
    )
    parser.add_argument(
        "--evaluate",
        action="store_true",
        help="only score the parameters in use on the later quarter of the log",
    )
    parser.add_argument(
        "--reschedule",
        action="store_true",
        help="after adopting, recompute studied cards' due dates (undo: --undo)",
    )
    parser.add_argument(
        "--undo", type=int, metavar="RUN", help="undo the reschedule of run RUN"
    )
    parser.add_argument(
        "--history", action="store_true", help="list the stored optimisation runs"
    )
    parser.add_argument(
        "--go-back",
        type=int,
        metavar="RUN",
        help="use again the parameters in use before run RUN",
    )
    parser.add_argument(
        "--simulate",
        action="store_true",
        help="simulate a year at desired retention 0.70-0.97 and suggest one",
    )
    parser.set_defaults(handler=cmd_optimize)


def cmd_optimize(args: argparse.Namespace) -> int:
    """Optimise, evaluate, list, go back, undo or simulate, as asked."""
    library = Library.open(args.data_dir)
    try:
        tuning = library.tuning()
        if args.evaluate:
            metrics, reviews = tuning.evaluate(args.deck)
            out: dict[str, Any] = {
                "parameters": list(tuning.parameters(args.deck)),
                "reviews": reviews,
                "test_reviews": metrics.reviews,
                "log_loss_current": metrics.log_loss,
                "rmse_bins_current": metrics.rmse_bins,
            }
            text = (
                f"parameters in use: log loss {metrics.log_loss:.4f}, RMSE (bins) "
                f"{metrics.rmse_bins:.4f} on the last {metrics.reviews:,} reviews "
                f"(of {reviews:,})"
            )
        elif args.history:
            out = {"runs": [_run_json(run) for run in tuning.runs()]}
            text = "\n".join(_run_line(run) for run in tuning.runs()) or "no runs yet"
        elif args.go_back is not None:
            parameters = tuning.go_back(args.go_back)
            out = {"parameters": list(parameters)}
            text = f"back to the parameters in use before run {args.go_back}"
        elif args.undo is not None:
            cards = tuning.undo_reschedule(args.undo)
            out = {"cards": cards}
            text = f"{cards} card(s) put back as they were before run {args.undo}"
        elif args.simulate:
            return _simulate(library, args)
        else:
            done = tuning.optimize(args.deck, now=utc_now(), dry_run=args.dry_run)
            out = _result_json(done.result) | {
                "run_id": done.run_id,
                "dry_run": args.dry_run,
            }
            text = _result_text(done.result, args.dry_run)
            if args.reschedule and done.result.adopted and done.run_id is not None:
                out["rescheduled"] = tuning.reschedule(done.run_id, args.deck)
                text += (
                    f"\n{out['rescheduled']} card(s) rescheduled; undo with "
                    f"`studyapp optimize --undo {done.run_id}`"
                )
    finally:
        library.close()
    print(json.dumps(out, indent=2) if args.json else text)
    return 0


def _simulate(library: Library, args: argparse.Namespace) -> int:
    from studyapp.core.study.simulate import suggested_retention

    curves = library.tuning().simulate(args.deck)
    best = suggested_retention(curves)
    if args.json:
        rows = [
            {
                "desired_retention": c.desired_retention,
                "reviews_per_day": list(c.reviews_per_day),
                "remembered_per_day": list(c.remembered_per_day),
                "minutes_per_day": list(c.minutes_per_day),
                "minutes_per_remembered": c.minutes_per_remembered,
            }
            for c in curves
        ]
        print(json.dumps({"suggested_retention": best, "curves": rows}))
        return 0
    print(f"{'retention':>9} {'reviews/day':>11} {'min/day':>8} {'remembered':>10}")
    for curve in curves:
        days = len(curve.reviews_per_day) or 1
        per_day = sum(curve.reviews_per_day) / days
        print(
            f"{curve.desired_retention:>9.2f} {per_day:>11.1f}"
            f" {curve.total_minutes / days:>8.1f} {curve.remembered_per_day[-1]:>10.0f}"
        )
    print(f"suggested desired retention: {best:.2f} (least time per card remembered)")
    return 0


def _result_json(result: OptimizationResult) -> dict[str, Any]:
    return {
        "parameters": list(result.parameters),
        "reviews": result.reviews,
        "log_loss_current": result.current.log_loss,
        "log_loss_fitted": result.fitted.log_loss,
        "rmse_bins_current": result.current.rmse_bins,
        "rmse_bins_fitted": result.fitted.rmse_bins,
        "adopted": result.adopted,
        "train_reviews": result.train_reviews,
        "test_reviews": result.current.reviews,
        "split_at": result.split_at.isoformat(),
        "parameters_before": list(result.parameters_current),
        "parameters_fitted": list(result.parameters_fitted),
    }


def _result_text(result: OptimizationResult, dry_run: bool) -> str:
    verdict = (
        "predicts your recall better"
        if result.adopted
        else "does not predict your recall better"
    )
    action = (
        "nothing changed (dry run)"
        if dry_run
        else "adopted"
        if result.adopted
        else "kept the current parameters"
    )
    return (
        f"The fitted scheduler {verdict}: log loss {result.current.log_loss:.3f} -> "
        f"{result.fitted.log_loss:.3f}, RMSE (bins) {result.current.rmse_bins:.3f} -> "
        f"{result.fitted.rmse_bins:.3f} on your last {result.current.reviews:,} "
        f"reviews (fitted on the {result.train_reviews:,} before "
        f"{result.split_at:%Y-%m-%d}); {action}."
    )


def _run_json(run: StoredRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "ran_at": run.ran_at.isoformat(),
        "scope": run.scope,
        "reviews": run.reviews,
        "test_reviews": run.test_reviews,
        "log_loss_current": run.log_loss_current,
        "log_loss_fitted": run.log_loss_fitted,
        "rmse_bins_current": run.rmse_bins_current,
        "rmse_bins_fitted": run.rmse_bins_fitted,
        "adopted": run.adopted,
        "rescheduled": run.rescheduled,
    }


def _run_line(run: StoredRun) -> str:
    scope = run.scope or "all decks"
    decision = "adopted" if run.adopted else "kept"
    return (
        f"run {run.id} {run.ran_at:%Y-%m-%d %H:%M} {scope}: {run.reviews:,} reviews, "
        f"log loss {run.log_loss_current:.3f} -> {run.log_loss_fitted:.3f}, {decision}"
    )
