"""Events that more than one app cares about.

They live here, in the app every other app may import, so that senders never import receivers:
`collaboration` announces a chat message and `leaderboard` reacts, without either importing the
other.
"""

from django.dispatch import Signal

# Sent inside the transaction that saved the message; kwargs: user_id, message_id.
chat_message_posted = Signal()
