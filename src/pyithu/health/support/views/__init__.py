"""The pages of photos, the hotline, referral desks and facilities: citizens' and staff's."""
