"""Confidential fields: AES-GCM under a per-community data key wrapped by the master key; rotation and crypto-erase."""
