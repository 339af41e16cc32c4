# hkpost.ecert payload: dcv_windows_dns_write
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Adds or removes ONE TXT value at one name; other TXT records there (SPF, other CAs) are untouched
# because only the record object whose text equals the value is removed. The value (the
# verification code) arrives as a sensitive parameter, a SecureString; the DNS cmdlets take text,
# so it is decoded once here and the unmanaged copy zeroed.
param(
    [Parameter(Mandatory)][string]$ZoneName,
    [Parameter(Mandatory)][string]$HostName,
    [Parameter(Mandatory)][SecureString]$Value,
    [int]$Ttl = 3600,
    [ValidateSet('present', 'absent')][string]$State = 'present'
)

$ErrorActionPreference = 'Stop'
$bstr = [Runtime.InteropServices.Marshal]::SecureStringToBSTR($Value)
try { $text = [Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr) }
finally { [Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr) }

# -Node: the records AT this name only; without it the cmdlet returns the subtree below the name and
# `absent` would delete equal-text records at child names (community.windows win_dns_record: -Node).
function Get-TxtRecord([string]$Zone, [string]$Name) {
    try {
        @(Get-DnsServerResourceRecord -ZoneName $Zone -Name $Name -RRType Txt -Node)
    }
    catch {
        # WIN32 9714 (DNS_ERROR_NAME_DOES_NOT_EXIST): no record there yet. Every other error
        # (missing zone, access denied) fails here, before anything is added or removed.
        if ($_.FullyQualifiedErrorId -like 'WIN32 9714,*') { return }
        throw
    }
}

$done = @()
$existing = @(Get-TxtRecord -Zone $ZoneName -Name $HostName |
    Where-Object { [string]$_.RecordData.DescriptiveText -ceq $text })

if ($State -eq 'present' -and $existing.Count -eq 0) {
    Add-DnsServerResourceRecord -ZoneName $ZoneName -Name $HostName -Txt -DescriptiveText $text `
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
