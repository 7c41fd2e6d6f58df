"""Actions on surveys, answers, results and commendation, one module per sub-topic."""
