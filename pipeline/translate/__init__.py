"""Stages 2-3: normalise, prepare constraints, translate (model, search, memory, QA)."""
