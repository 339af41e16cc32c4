# hkpost.ecert payload: acme_iis_write
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Writes or removes ACME http-01 token files (the key authorization, UTF-8 without BOM, no newline) and
# the web.config this module owns in each site's .well-known\acme-challenge directory, every order of
# the host in one execution. Python decided the paths; the marker check only guards a web.config
# someone else wrote from being deleted. A key authorization is public (token.thumbprint), not a secret.
param(
    [Parameter(Mandatory)][string[]]$Paths,
    [string[]]$Contents = @(),
    [Parameter(Mandatory)][string[]]$Directories,
    [bool]$Remove = $false,
    [string]$WebConfig = '',
    [Parameter(Mandatory)][string]$Marker
)

$ErrorActionPreference = 'Stop'
$utf8 = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
$done = @()

foreach ($directory in $Directories) {
    $webConfigPath = Join-Path -Path $directory -ChildPath 'web.config'
    if (-not $Remove) {
        if (-not (Test-Path -LiteralPath $directory -PathType Container)) {
            New-Item -Path $directory -ItemType Directory -Force | Out-Null
            $done += "created $directory"
        }
        if ($WebConfig -and -not (Test-Path -LiteralPath $webConfigPath -PathType Leaf)) {
            [System.IO.File]::WriteAllText($webConfigPath, $WebConfig, $utf8)
            $done += "wrote $webConfigPath"
        }
    }
}
for ($i = 0; $i -lt $Paths.Count; $i++) {
    $path = $Paths[$i]
    if ($Remove) {
        if (Test-Path -LiteralPath $path -PathType Leaf) {
            Remove-Item -LiteralPath $path -Force
            $done += "removed $path"
        }
    }
    else {
        [System.IO.File]::WriteAllText($path, $Contents[$i], $utf8)
        $done += "wrote $path"
    }
}
if ($Remove) {
    foreach ($directory in $Directories) {
        $webConfigPath = Join-Path -Path $directory -ChildPath 'web.config'
        if ((Test-Path -LiteralPath $webConfigPath -PathType Leaf) -and
            ([System.IO.File]::ReadAllText($webConfigPath)).Contains($Marker)) {
            Remove-Item -LiteralPath $webConfigPath -Force
            $done += "removed $webConfigPath"
        }
    }
}

$Ansible.Changed = $done.Count -gt 0
ConvertTo-Json -Compress -Depth 3 -InputObject @{ done = @($done) }
