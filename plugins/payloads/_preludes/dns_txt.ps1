# hkpost.ecert prelude file: dns_txt
# Get-TxtRecord: the TXT records AT one name of a zone on this Windows DNS server, read one way by
# dcv_windows_dns_read (what is there) and dcv_windows_dns_write (what to leave, add or remove).
# -Node: the records AT the name only. Without it Get-DnsServerResourceRecord returns the whole subtree
# below the name (for the apex, every name in the zone), so a child's copy of the code would read as present
# here and `absent` would delete equal-text records at child names. community.windows win_dns_record
# always passes -Node. https://learn.microsoft.com/powershell/module/dnsserver/get-dnsserverresourcerecord
function Get-TxtRecord([string]$Zone, [string]$Name) {
    try {
        @(Get-DnsServerResourceRecord -ZoneName $Zone -Name $Name -RRType Txt -Node)
    }
    catch {
        # WIN32 9714 is DNS_ERROR_NAME_DOES_NOT_EXIST: nothing at this name yet, an empty answer.
        # Anything else (9601 zone does not exist, 5 access denied, the server down) fails the payload,
        # before a write adds or removes anything.
        if ($_.FullyQualifiedErrorId -like 'WIN32 9714,*') { return }
        throw
    }
}
