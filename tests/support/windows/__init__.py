"""Fake Windows host: the win_powershell boundary and, per area, what each payload does to the host's state."""
