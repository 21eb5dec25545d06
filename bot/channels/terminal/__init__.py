"""`fhb chat`: a terminal chat with the bot."""
