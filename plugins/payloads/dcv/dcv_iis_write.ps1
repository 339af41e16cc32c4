# hkpost.ecert payload: dcv_iis_write
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Writes or removes fileauth.txt (exactly the code, UTF-8 without BOM, no newline) and the web.config
# this module owns in one site's .well-known\pki-validation directory. Python decided what to do;
# the marker check below is only a last guard so a web.config someone else wrote is never deleted.
# The code arrives as a sensitive parameter, which win_powershell delivers as a SecureString.
param(
    [Parameter(Mandatory)][string]$Directory,
    [SecureString]$Content,
    [bool]$WriteFile = $false,
    [bool]$RemoveFile = $false,
    [string]$WebConfig = '',
    [bool]$RemoveWebConfig = $false,
    [Parameter(Mandatory)][string]$Marker
)

$ErrorActionPreference = 'Stop'
$utf8 = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
$fileauth = Join-Path -Path $Directory -ChildPath 'fileauth.txt'
$webConfigPath = Join-Path -Path $Directory -ChildPath 'web.config'
$done = @()

if ($WriteFile -or $WebConfig) {
    if (-not (Test-Path -LiteralPath $Directory -PathType Container)) {
        New-Item -Path $Directory -ItemType Directory -Force | Out-Null
        $done += 'created directory'
    }
}
if ($WriteFile) {
    # The file needs the text: decoded here only, and the unmanaged copy is zeroed at once.
    $bstr = [Runtime.InteropServices.Marshal]::SecureStringToBSTR($Content)
    try {
        [System.IO.File]::WriteAllText($fileauth, [Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr), $utf8)
    }
    finally {
        [Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr)
    }
    $done += 'wrote fileauth.txt'
}
if ($WebConfig) {
    [System.IO.File]::WriteAllText($webConfigPath, $WebConfig, $utf8)
    $done += 'wrote web.config'
}
if ($RemoveFile -and (Test-Path -LiteralPath $fileauth -PathType Leaf)) {
    Remove-Item -LiteralPath $fileauth -Force
    $done += 'removed fileauth.txt'
}
if ($RemoveWebConfig -and (Test-Path -LiteralPath $webConfigPath -PathType Leaf)) {
    if (([System.IO.File]::ReadAllText($webConfigPath)).Contains($Marker)) {
        Remove-Item -LiteralPath $webConfigPath -Force
        $done += 'removed web.config'
    }
    else {
        $done += 'kept web.config (not written by hkpost.ecert)'
    }
}

$Ansible.Changed = $done.Count -gt 0
ConvertTo-Json -Compress -Depth 3 -InputObject @{ directory = $Directory; done = @($done) }
