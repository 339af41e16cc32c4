# hkpost.ecert payload: dcv_iis_read
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Reads every IIS site: bindings, physical path (raw and expanded), the site's MIME type for .txt,
# and what already sits in its .well-known\pki-validation directory. The sites (name, id, state, physical path,
# bindings) are read by the web_sites prelude's Read-WebSite, as acme_iis_read reads them. Decisions stay in Python.
[CmdletBinding(SupportsShouldProcess)]
param(
    [string]$Marker = 'hkpost.ecert dcv web.config'
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false
Import-Module WebAdministration

# hkpost.ecert prelude: web_sites
$sites = foreach ($site in @(Read-WebSite)) {
    $expanded = $site.physical_path_expanded
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
    $site.txt_mime = $mime
    $site.files = @{
        fileauth_base64 = $content
        web_config = @{ exists = $configExists; ours = $configOurs }
    }
    $site
}

ConvertTo-Json -Compress -Depth 6 -InputObject @{ sites = @($sites) }
