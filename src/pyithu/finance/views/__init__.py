"""The finance pages, by topic or by desk: wallet, products, lottery, giving, merchant, agent,
officer, officer_campaigns (the officers' crowdfunding and merchants desk)."""
