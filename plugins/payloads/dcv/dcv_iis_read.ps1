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
    # Site level, so a web.config this module wrote in the validation directory does not hide the need for it.
    $mime = Get-WebConfigurationProperty -PSPath 'MACHINE/WEBROOT/APPHOST' -Location $site.name `
        -Filter "system.webServer/staticContent/mimeMap[@fileExtension='.txt']" -Name mimeType -ErrorAction SilentlyContinue
    $bindings = foreach ($binding in $site.bindings.Collection) {
        @{ protocol = [string]$binding.protocol; binding_information = [string]$binding.bindingInformation }
    }
    @{
        name = [string]$site.name
        id = [int]$site.id
        state = [string]$site.state
        physical_path = $raw
        physical_path_expanded = $expanded
        bindings = @($bindings)
        txt_mime = if ($mime -is [string]) { $mime } elseif ($mime) { [string]$mime.Value } else { $null }
        files = @{
            fileauth_base64 = $content
            web_config = @{ exists = $configExists; ours = $configOurs }
        }
    }
}

ConvertTo-Json -Compress -Depth 6 -InputObject @{ sites = @($sites) }
