"""FHB-bot's outside: the staff CLI `fhb`, the terminal chat, and the process launcher."""
