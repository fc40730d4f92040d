from .identify import Identified, Prepared, identify_batch, identity_keys, prepare

__all__ = ["Identified", "Prepared", "identify_batch", "identity_keys", "prepare"]
