"""Sambilan scrapers: fetch public gig listings and normalise them into `Gig` records."""
