"""The finance pages, by topic: wallet, products, lottery, giving, merchant, agent, officer."""
