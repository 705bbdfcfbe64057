"""Real Solidity lesson text for the demo courses."""

COURSES = [
    {
        "title": "Solidity Foundations",
        "summary": "Contracts, state variables, functions and visibility: write your first contract.",
        "lessons": ["hello", "state", "functions", "visibility", "mappings", "structs"],
    },
    {
        "title": "Events, Errors and Modifiers",
        "summary": "Tell the outside world what happened and refuse what should not happen.",
        "lessons": ["events", "require", "custom-errors", "modifiers", "hello", "state"],
    },
    {
        "title": "Tokens from Scratch",
        "summary": "Build a minimal ERC-20 token and understand balances, allowances and transfers.",
        "lessons": ["mappings", "erc20-balances", "erc20-allowance", "events", "custom-errors"],
    },
    {
        "title": "Security Patterns",
        "summary": "Reentrancy, checks-effects-interactions and pulling payments safely.",
        "lessons": ["payable", "reentrancy", "checks-effects", "modifiers", "require"],
    },
    {
        "title": "Gas-Aware Solidity",
        "summary": "Storage versus memory, packing, immutables and loops that stay cheap.",
        "lessons": ["storage-memory", "immutable", "structs", "functions", "visibility"],
    },
]

LESSONS = {
    "hello": {
        "title": "Your first contract",
        "xp": 10,
        "body": """A Solidity source file starts with a licence identifier and a `pragma` that says
which compiler versions may build it. A **contract** is like a class: it holds state and code,
and it lives at an address on the chain once deployed.

```solidity
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract HelloWorld {
    string public greeting = "Hello, world!";
}
```

Marking `greeting` as `public` makes the compiler generate a getter, `greeting()`, that anyone can
call for free from outside the chain.

**Try it:** change the greeting, compile, and look at the ABI: one function, `greeting`, that
returns a `string`.""",
        "starter": """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract HelloWorld {
    string public greeting = "Hello, world!";
}
""",
        "exercise": {"contract": "HelloWorld", "functions": ["greeting()"]},
    },
    "state": {
        "title": "State variables and types",
        "xp": 15,
        "body": """State variables are stored permanently in contract storage. The value types you
will use most are `bool`, `uint256` (an unsigned 256-bit integer), `int256`, `address` and
`bytes32`.

```solidity
contract Counter {
    uint256 public count;
    address public owner = msg.sender;
    bool public paused;
}
```

Every storage slot costs gas to write, so keep state small. Since Solidity 0.8, arithmetic
reverts on overflow instead of wrapping around silently.""",
        "starter": """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Counter {
    uint256 public count;
}
""",
        "exercise": {"contract": "Counter", "functions": ["count()"]},
    },
    "functions": {
        "title": "Functions that read and write",
        "xp": 20,
        "body": """Functions change state unless marked `view` (reads state) or `pure` (reads
nothing). Calling a `view` function from outside costs no gas.

```solidity
contract Counter {
    uint256 public count;

    function increment() external {
        count += 1;
    }

    function doubled() external view returns (uint256) {
        return count * 2;
    }
}
```

`external` functions can only be called from outside; `public` ones from anywhere.""",
        "starter": """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Counter {
    uint256 public count;

    function increment() external {
        // add one to count
    }
}
""",
        "exercise": {"contract": "Counter", "functions": ["increment()", "count()"]},
    },
    "visibility": {
        "title": "Visibility: public, external, internal, private",
        "xp": 15,
        "body": """Visibility decides who may call a function or read a variable through the
contract's interface:

| keyword | callable from |
|---|---|
| `public` | anywhere |
| `external` | other contracts and transactions only |
| `internal` | this contract and contracts that inherit it |
| `private` | this contract only |

`private` does **not** hide data: everything on chain is readable by anyone who inspects storage.""",
        "starter": "",
        "exercise": {},
    },
    "mappings": {
        "title": "Mappings",
        "xp": 20,
        "body": """A `mapping` is a hash table whose keys all exist and start at the zero value.

```solidity
contract Balances {
    mapping(address => uint256) public balanceOf;

    function deposit() external payable {
        balanceOf[msg.sender] += msg.value;
    }
}
```

Mappings cannot be iterated: if you need the list of keys, store it separately.""",
        "starter": """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Balances {
    mapping(address => uint256) public balanceOf;
}
""",
        "exercise": {"contract": "Balances", "functions": ["balanceOf(address)"]},
    },
    "structs": {
        "title": "Structs and arrays",
        "xp": 20,
        "body": """Group related values in a `struct` and keep many of them in an array.

```solidity
contract TodoList {
    struct Todo {
        string text;
        bool done;
    }

    Todo[] public todos;

    function add(string calldata text) external {
        todos.push(Todo({text: text, done: false}));
    }

    function toggle(uint256 index) external {
        todos[index].done = !todos[index].done;
    }
}
```

Reading `todos[index]` past the end reverts with a panic.""",
        "starter": "",
        "exercise": {},
    },
    "events": {
        "title": "Events",
        "xp": 20,
        "body": """Events write to the transaction log, which is cheap and which off-chain apps
can subscribe to. Up to three parameters can be `indexed` for filtering.

```solidity
contract Counter {
    uint256 public count;
    event Incremented(address indexed by, uint256 newCount);

    function increment() external {
        count += 1;
        emit Incremented(msg.sender, count);
    }
}
```

Contracts cannot read events: they are for the outside world.""",
        "starter": """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Counter {
    uint256 public count;

    function increment() external {
        count += 1;
    }
}
""",
        "exercise": {
            "contract": "Counter",
            "functions": ["increment()"],
            "events": ["Incremented(address,uint256)"],
        },
    },
    "require": {
        "title": "require and revert",
        "xp": 15,
        "body": """`require(condition, "message")` reverts the whole call, undoing every change,
when the condition is false. Use it to validate inputs and state.

```solidity
function withdraw(uint256 amount) external {
    require(amount <= balanceOf[msg.sender], "insufficient balance");
    balanceOf[msg.sender] -= amount;
    payable(msg.sender).transfer(amount);
}
```

Unused gas is refunded to the caller when a call reverts.""",
        "starter": "",
        "exercise": {},
    },
    "custom-errors": {
        "title": "Custom errors",
        "xp": 20,
        "body": """Custom errors are cheaper than revert strings and can carry data.

```solidity
error InsufficientBalance(uint256 available, uint256 required);

contract Vault {
    mapping(address => uint256) public balanceOf;

    function withdraw(uint256 amount) external {
        uint256 available = balanceOf[msg.sender];
        if (amount > available) revert InsufficientBalance(available, amount);
        balanceOf[msg.sender] = available - amount;
    }
}
```""",
        "starter": "",
        "exercise": {},
    },
    "modifiers": {
        "title": "Function modifiers",
        "xp": 20,
        "body": """A modifier wraps a function body; `_;` marks where the body runs.

```solidity
contract Owned {
    address public owner = msg.sender;

    modifier onlyOwner() {
        require(msg.sender == owner, "not the owner");
        _;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        owner = newOwner;
    }
}
```""",
        "starter": """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Owned {
    address public owner = msg.sender;

    function transferOwnership(address newOwner) external {
        owner = newOwner;
    }
}
""",
        "exercise": {"contract": "Owned", "functions": ["transferOwnership(address)", "owner()"]},
    },
    "erc20-balances": {
        "title": "ERC-20: balances and transfer",
        "xp": 30,
        "body": """An ERC-20 token is a mapping of balances plus a `transfer` that moves them.

```solidity
contract Token {
    mapping(address => uint256) public balanceOf;
    uint256 public totalSupply;
    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(uint256 supply) {
        balanceOf[msg.sender] = supply;
        totalSupply = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }
}
```

Checked arithmetic makes the subtraction revert when the sender has too little.""",
        "starter": "",
        "exercise": {
            "contract": "Token",
            "functions": ["transfer(address,uint256)", "balanceOf(address)"],
            "events": ["Transfer(address,address,uint256)"],
        },
    },
    "erc20-allowance": {
        "title": "ERC-20: approve and transferFrom",
        "xp": 30,
        "body": """Allowances let another address spend tokens for you, up to a limit.

```solidity
mapping(address => mapping(address => uint256)) public allowance;
event Approval(address indexed owner, address indexed spender, uint256 value);

function approve(address spender, uint256 value) external returns (bool) {
    allowance[msg.sender][spender] = value;
    emit Approval(msg.sender, spender, value);
    return true;
}

function transferFrom(address from, address to, uint256 value) external returns (bool) {
    allowance[from][msg.sender] -= value;
    balanceOf[from] -= value;
    balanceOf[to] += value;
    emit Transfer(from, to, value);
    return true;
}
```""",
        "starter": "",
        "exercise": {},
    },
    "payable": {
        "title": "Receiving ether",
        "xp": 20,
        "body": """A function marked `payable` can receive ether; `msg.value` is the amount in wei.
A contract that should accept plain transfers defines `receive()`.

```solidity
contract PiggyBank {
    event Deposited(address indexed from, uint256 amount);

    receive() external payable {
        emit Deposited(msg.sender, msg.value);
    }
}
```""",
        "starter": "",
        "exercise": {},
    },
    "reentrancy": {
        "title": "Reentrancy",
        "xp": 30,
        "body": """When a contract sends ether before updating its state, the receiver can call back
in and withdraw again:

```solidity
// Vulnerable: the balance is cleared after the external call.
function withdraw() external {
    uint256 amount = balanceOf[msg.sender];
    (bool ok, ) = msg.sender.call{value: amount}("");
    require(ok);
    balanceOf[msg.sender] = 0;
}
```

Clear the balance first, or guard the function with a reentrancy lock.""",
        "starter": "",
        "exercise": {},
    },
    "checks-effects": {
        "title": "Checks, effects, interactions",
        "xp": 25,
        "body": """Order every state-changing function the same way: **check** the inputs,
apply the **effects** to your own state, and only then **interact** with other contracts.

```solidity
function withdraw() external {
    uint256 amount = balanceOf[msg.sender];       // check
    require(amount > 0, "nothing to withdraw");
    balanceOf[msg.sender] = 0;                    // effect
    (bool ok, ) = msg.sender.call{value: amount}(""); // interaction
    require(ok, "transfer failed");
}
```""",
        "starter": "",
        "exercise": {},
    },
    "storage-memory": {
        "title": "storage, memory and calldata",
        "xp": 25,
        "body": """Reference types live in one of three places: `storage` (persistent, expensive),
`memory` (a copy for this call) and `calldata` (read-only function input, cheapest).

```solidity
function total(uint256[] calldata values) external pure returns (uint256 sum) {
    for (uint256 i = 0; i < values.length; i++) {
        sum += values[i];
    }
}
```

Prefer `calldata` for external inputs you only read.""",
        "starter": "",
        "exercise": {},
    },
    "immutable": {
        "title": "constant and immutable",
        "xp": 20,
        "body": """`constant` values are fixed at compile time and `immutable` ones in the
constructor; neither takes a storage slot, so reading them is cheap.

```solidity
contract Fees {
    uint256 public constant MAX_FEE = 500; // basis points
    address public immutable treasury;

    constructor(address treasury_) {
        treasury = treasury_;
    }
}
```""",
        "starter": "",
        "exercise": {},
    },
}

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
