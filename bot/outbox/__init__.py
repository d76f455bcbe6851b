"""Sending: the outbox drained at Telegram's pace, holds, digests and reminders."""
