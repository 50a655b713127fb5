"""Second factors: an authenticator app (TOTP), passkeys and recovery codes; required of staff.

- `models`: the tables; `totp`, `passkeys`, `recovery`: each kind of factor;
- `state`: what this browser session proved, and when (a recent second factor);
- `guard`: staff without a verified second factor reach no page but setting one up;
- `recent`: `requires_recent_factor`, for sensitive pages (also in `hromada.plugin_api`);
- `operations`: adding and removing factors, resets, with their audit entries and notices.
"""
