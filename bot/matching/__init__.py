"""Match gigs to users' skills (Indonesian and English) with scores and reasons."""
