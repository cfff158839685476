"""The health pages: citizens' (booking, status by code, questions) and doctors' desks."""
