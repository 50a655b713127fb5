"""Confidential fields: AES-GCM under a per-community data key wrapped by the master key; rotation and crypto-erase.

- `crypto`: the API (`seal`, `unseal`, `SealedText`, `destroy_data_key`, the errors); start there.
- `keys`: master keys from the environment and the wrapping of data keys.
- `models`: `DataKey`, one per community.
- `rotation`: re-wrapping every data key under a new master key; the key inventory.
- `cli`: `flask --app hromada keys generate|status|rotate|destroy`.
"""
