"""What users read: message texts, cards, keyboards, charts, exports, translations."""
