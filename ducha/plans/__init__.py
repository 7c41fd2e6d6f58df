"""Plan importer: a pasted or uploaded implementation plan becomes a draft campaign."""
