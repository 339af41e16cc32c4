# hkpost.ecert payload: dcv_windows_dns_write
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Adds or removes ONE TXT value at one name; other TXT records there (SPF, other CAs) are untouched
# because only the record object whose text equals the value is removed.
param(
    [Parameter(Mandatory)][string]$ZoneName,
    [Parameter(Mandatory)][string]$HostName,
    [Parameter(Mandatory)][string]$Value,
    [int]$Ttl = 3600,
    [ValidateSet('present', 'absent')][string]$State = 'present'
)

$ErrorActionPreference = 'Stop'
$done = @()
$existing = @(Get-DnsServerResourceRecord -ZoneName $ZoneName -Name $HostName -RRType Txt -ErrorAction SilentlyContinue |
    Where-Object { [string]$_.RecordData.DescriptiveText -ceq $Value })

if ($State -eq 'present' -and $existing.Count -eq 0) {
    Add-DnsServerResourceRecord -ZoneName $ZoneName -Name $HostName -Txt -DescriptiveText $Value `
        -TimeToLive (New-TimeSpan -Seconds $Ttl)
    $done += 'added'
}
if ($State -eq 'absent') {
    foreach ($record in $existing) {
        Remove-DnsServerResourceRecord -ZoneName $ZoneName -InputObject $record -Force
        $done += 'removed'
    }
}

$Ansible.Changed = $done.Count -gt 0
ConvertTo-Json -Compress -Depth 3 -InputObject @{ zone = $ZoneName; host = $HostName; done = @($done) }
