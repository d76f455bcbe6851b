"""The business rules: tracking, money, reports, market figures, proposals, user input."""
