"""What every channel (the Telegram bot, SMS, any later one) shares: the questions a person asks
by code, answered once over the services' public functions. A channel keeps its transport and
its wording; it asks here."""
