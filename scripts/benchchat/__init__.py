"""The chat benchmark's parts; `scripts/bench_chat.py` is the entry point and explains it.

- people: the simulated persons and their conversations over HTTP
- measure: what is measured (samples, level results, percentiles, peak memory, bookings)
- servers: starting and stopping the servers, their databases and profile, the demo bot
- pipelines: each pipeline on its own servers, level after level
- report: the Markdown report
"""
