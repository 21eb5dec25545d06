"""What the system starts itself: reminders, new offers, invitation letters, and the
retention purge."""
