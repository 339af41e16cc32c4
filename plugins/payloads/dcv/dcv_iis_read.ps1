# hkpost.ecert payload: dcv_iis_read
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Reads every IIS site: bindings, physical path (raw and expanded), the site's MIME type for .txt,
# and what already sits in its .well-known\pki-validation directory. Decisions stay in Python.
[CmdletBinding(SupportsShouldProcess)]
param(
    [string]$Marker = 'hkpost.ecert dcv web.config'
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false
Import-Module WebAdministration

$sites = foreach ($site in Get-Website) {
    # A site's state is read live from IIS, and for some sites (a broken application pool, an FTP
    # site) reading it throws: that site is reported 'Unknown' instead of failing the whole read
    # (win-acme IISClient does the same: "Unable to determine state for Site").
    try { $state = [string]$site.state } catch { $state = 'Unknown' }
    $raw = [string]$site.physicalPath
    $expanded = [Environment]::ExpandEnvironmentVariables($raw)
    $directory = Join-Path -Path $expanded -ChildPath '.well-known\pki-validation'
    $fileauth = Join-Path -Path $directory -ChildPath 'fileauth.txt'
    $webConfig = Join-Path -Path $directory -ChildPath 'web.config'
    $content = $null
    if (Test-Path -LiteralPath $fileauth -PathType Leaf) {
        $content = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($fileauth))
    }
    $configExists = Test-Path -LiteralPath $webConfig -PathType Leaf
    $configOurs = $false
    if ($configExists) {
        $configOurs = ([System.IO.File]::ReadAllText($webConfig)).Contains($Marker)
    }
    # The EFFECTIVE .txt mapping at the site's own path: applicationHost.config merged with the site's
    # web.config (which may <remove> or remap .txt), not only a <location> tag in applicationHost.config.
    # Site level, so a web.config this module wrote in the validation directory does not hide the need
    # for it. A configuration that cannot be read stops the payload.
    $mime = @(Get-WebConfigurationProperty -PSPath "MACHINE/WEBROOT/APPHOST/$($site.name)" `
            -Filter 'system.webServer/staticContent' -Name Collection |
            Where-Object { $_.fileExtension -eq '.txt' } | ForEach-Object { [string]$_.mimeType }) | Select-Object -First 1
    $bindings = foreach ($binding in $site.bindings.Collection) {
        @{ protocol = [string]$binding.protocol; binding_information = [string]$binding.bindingInformation }
    }
    @{
        name = [string]$site.name
        id = [int]$site.id
        state = $state
        physical_path = $raw
        physical_path_expanded = $expanded
        bindings = @($bindings)
        txt_mime = $mime
        files = @{
            fileauth_base64 = $content
            web_config = @{ exists = $configExists; ours = $configOurs }
        }
    }
}

ConvertTo-Json -Compress -Depth 6 -InputObject @{ sites = @($sites) }
