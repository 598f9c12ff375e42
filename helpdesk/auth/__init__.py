"""Authentication: password hashes, signed sessions, CSRF, throttling."""
