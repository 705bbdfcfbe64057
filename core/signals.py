"""Events that more than one app cares about.

They live here, in the app every other app may import, so that senders never import receivers:
`collaboration` announces a chat message and `leaderboard` reacts, without either importing the
other.
"""

from django.dispatch import Signal

# Sent inside the transaction that saved a learner's first chat message (no rule looks at later
# ones, and a live room posts many); kwargs: user_id, message_id.
chat_message_posted = Signal()

# Sent once an image's variants are written (core.services.optimize_image_field), so that the app
# caching pages that show the image retires them; sender: the model; kwargs: pk, field_name.
image_variants_written = Signal()
