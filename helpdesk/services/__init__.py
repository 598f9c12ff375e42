"""Services: the only code that writes to the database and emits events."""
