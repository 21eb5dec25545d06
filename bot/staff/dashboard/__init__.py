"""The staff dashboard (served by the channel server under /staff)."""
