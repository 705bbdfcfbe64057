"""Password hashing: Argon2id with OWASP's recommended parameters.

Django's default Argon2 settings (100 MiB, 2 passes, 8 lanes) spread each sign-in over every
core of a small server at once, so one sign-in stalls every other request. OWASP's Password
Storage Cheat Sheet recommends Argon2id with 19 MiB of memory, 2 passes and 1 lane: a fraction
of the CPU, on one core.

Hashes made with other parameters still verify, and Django re-hashes them with these at the
learner's next sign-in (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    # The algorithm keeps Django's name, so existing "argon2$..." hashes are this hasher's.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
