"""The staff side: accounts, listings, live takeover and the dashboard."""
