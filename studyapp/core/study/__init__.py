"""Studying: scheduling parameters fitted to the learner, and simulations."""
