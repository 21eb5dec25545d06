"""The read side: one definition each of what staff pages, the report and the scheduler ask."""
