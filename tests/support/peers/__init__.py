"""Real protocol peers the tests start on 127.0.0.1 (BIND 9, nginx, TLS servers) and their helpers."""
