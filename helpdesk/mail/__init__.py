"""E-mail: composing and delivering the outbox, the SMTP intake, the embedded mail catcher."""
