# hkpost.ecert payload: dcv_windows_dns_read
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Lists the primary forward zones of this Windows DNS server and, for each record asked for
# ({zone, host}), the TXT values there with their TTL (the dns_txt prelude's Get-TxtRecord, as
# dcv_windows_dns_write reads them). Python picks zones and decides.
[CmdletBinding(SupportsShouldProcess)]
param(
    [object[]]$Records = @()
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# hkpost.ecert prelude: dns_txt

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
