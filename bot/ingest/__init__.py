"""One scrape: fetch the sources, store new gigs, match them against users, queue alerts."""
