"""Norwegian as older people write it: dates and times, validation, understanding free
text, formatting."""
