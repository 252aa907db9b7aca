"""Stage 1: read articles (files, folders, links) into ``Article`` objects."""
