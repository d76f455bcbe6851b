"""Wiring: configuration, the Telegram application, jobs, web server, metrics, logging."""
