"""Studying: scheduling (only it imports fsrs), answers, queue, planner, stats."""
