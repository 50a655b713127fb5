"""Strategic sessions of communities ready to carry out an adopted change map."""
