"""Stage 4: the Word briefing, the batch index, the run report and safe outputs."""
