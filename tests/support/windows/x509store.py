# -*- coding: utf-8 -*-
"""An X509Store as the payload opens it: which location its constructor names, and whether it may write.

``New-Object X509Store -ArgumentList $Name, 'LocalMachine'`` / ``[X509Store]::new($Name, 'LocalMachine')``
then ``.Open('ReadWrite')``: the constructor without a StoreLocation opens the CURRENT USER's store
(https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.x509store.-ctor),
which over WinRM is the profile of the connecting account - nothing IIS or Exchange reads. Add and Remove
need OpenFlags ReadWrite or MaxAllowed
(https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.openflags).
"""

from __future__ import annotations

from tests.support.windows import script_facts

# X509Store.Add on a store opened ReadOnly, or never opened (.NET Framework 4.8 X509Store.Add; the
# OpenFlags a write needs are ReadWrite or MaxAllowed:
# https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.openflags).


def write_refusal(opened):
    """What X509Store.Add/Remove throws on a store ``store_access`` did not find open for writing."""
    return 'The X509 certificate store has not been opened.' if opened is None else 'Access is denied.'


def store_access(script):
    """(location, writable) of the script's X509Store: the StoreLocation its constructor names
    ('LocalMachine' or 'CurrentUser', the default for a constructor without one) and whether it is
    opened for writing - True, False (opened read-only) or None (never opened)."""
    made = script_facts.new_objects(script, 'X509Store')
    named = [a for args in made for a in args if a.lower() in ('localmachine', 'currentuser')]
    location = 'LocalMachine' if named and all(a.lower() == 'localmachine' for a in named) else 'CurrentUser'
    opens = script_facts.method_arguments(script, 'Open')
    if not opens:
        return location, None
    flags = {f.strip().lower() for args in opens for f in (args[0].split(',') if args else [])}
    # A flag held in a variable cannot be read here: taken as writable.
    return location, bool(flags & {'readwrite', 'maxallowed'}) or any(f.startswith('$') for f in flags)


def stores_at(host, location):
    """The stores of LocalMachine (host.stores) or of the WinRM user's profile (CurrentUser)."""
    if location == 'LocalMachine':
        return host.stores
    user = host.state.setdefault('current_user_stores', {})
    for name in host.stores:
        user.setdefault(name, [])
    return user


def provider_location(script):
    """The store location the script's ``Cert:\\`` paths name: 'LocalMachine' when every one says so.
    ``Cert:\\CurrentUser\\...`` (or a path without a location) lists the WinRM account's own stores."""
    paths = [t for t in script_facts.string_literals(script_facts.tree(script).root_node)
             if t.lower().startswith('cert:\\')]
    if paths and all(p.lower().startswith('cert:\\localmachine\\') for p in paths):
        return 'LocalMachine'
    return 'CurrentUser'
