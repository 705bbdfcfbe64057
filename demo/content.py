"""What the demo data says: its accounts, learners' names, rooms and chat lines. The courses and
lessons come from curriculum/."""

# Every demo learner has an address at this domain: how clear_demo_data finds them again, and how
# seed_demo knows the admin account as one it made.
DEMO_EMAIL_DOMAIN = "demo.learning-solidity.example"
DEMO_PASSWORD = "learn-solidity"
ADMIN_USERNAME = "admin"
ADMIN_EMAIL = f"admin@{DEMO_EMAIL_DOMAIN}"
ADMIN_PASSWORD = "admin-learns-solidity"

FIRST_NAMES = [
    "ada",
    "vitalik",
    "gavin",
    "satoshi",
    "hal",
    "nick",
    "grace",
    "alan",
    "linus",
    "emin",
]
LAST_NAMES = ["byte", "chain", "block", "hash", "nonce", "gas", "wei", "node", "fork", "merkle"]

ROOM_TITLES = [
    "ERC-20 pairing session",
    "Reentrancy hunt",
    "First contract help desk",
    "Gas golf",
    "Events and indexing",
    "Modifiers workshop",
    "Vault review",
    "Todo list together",
]

CHAT_LINES = [
    "Does anyone know why my require keeps reverting?",
    "Try emitting an event right before it to see the values.",
    "Checked arithmetic saved me again.",
    "Should balanceOf be public or should I write a getter?",
    "public generates the getter for you.",
    "calldata instead of memory cut the gas nicely.",
    "I think the modifier needs the underscore at the end.",
    "Compiles now, thanks!",
]
