"""Every write in the telemedicine service goes through these modules, by topic."""
