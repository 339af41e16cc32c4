# hkpost.ecert payload: dcv_windows_dns_write
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Adds or removes ONE TXT value at one name; other TXT records there (SPF, other CAs) are untouched
# because only the record object whose text equals the value is removed (the records at the name read by
# the dns_txt prelude's Get-TxtRecord, as dcv_windows_dns_read reads them). The value (the
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

# hkpost.ecert prelude: dns_txt

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
