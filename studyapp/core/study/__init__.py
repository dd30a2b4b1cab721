"""Studying: scheduling (only it imports fsrs), the answer path, queue, planner.

Also statistics, and scheduler parameters fitted to the learner.
"""
