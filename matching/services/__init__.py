from .identify import Identified, identify_batch, identity_keys, lock_keys_for

__all__ = ["Identified", "identify_batch", "identity_keys", "lock_keys_for"]
