"""Demo rooms and chat lines; the courses and lessons come from curriculum/."""

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
