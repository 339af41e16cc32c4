# hkpost.ecert payload: dcv_windows_dns_read
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Lists the primary forward zones of this Windows DNS server and, for each record asked for
# ({zone, host}), the TXT values there with their TTL. Python picks zones and decides.
[CmdletBinding(SupportsShouldProcess)]
param(
    [object[]]$Records = @()
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# -Node: the records AT the name only. Without it Get-DnsServerResourceRecord returns the whole subtree
# below the name (for '@', every name in the zone), so a child's copy of the code would read as
# present here. community.windows win_dns_record always passes -Node.
function Get-TxtRecord([string]$Zone, [string]$Name) {
    try {
        @(Get-DnsServerResourceRecord -ZoneName $Zone -Name $Name -RRType Txt -Node)
    }
    catch {
        # WIN32 9714 is DNS_ERROR_NAME_DOES_NOT_EXIST: nothing at this name yet, an empty answer.
        # Anything else (9601 zone does not exist, 5 access denied, the server down) fails the payload.
        if ($_.FullyQualifiedErrorId -like 'WIN32 9714,*') { return }
        throw
    }
}

$zones = Get-DnsServerZone | Where-Object { -not $_.IsReverseLookupZone -and -not $_.IsAutoCreated -and $_.ZoneType -eq 'Primary' } |
    ForEach-Object { [string]$_.ZoneName }
$answers = foreach ($record in $Records) {
    $found = Get-TxtRecord -Zone $record.zone -Name $record.host
    $values = foreach ($item in @($found)) {
        if ($item) {
            @{ value = [string]($item.RecordData.DescriptiveText); ttl = [int]$item.TimeToLive.TotalSeconds }
        }
    }
    @{ zone = [string]$record.zone; host = [string]$record.host; values = @($values) }
}

ConvertTo-Json -Compress -Depth 5 -InputObject @{ zones = @($zones); records = @($answers) }
