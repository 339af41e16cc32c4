# hkpost.ecert payload: acme_iis_read
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Reads every IIS site's bindings and physical path (raw and expanded), so Python can decide which
# site's .well-known\acme-challenge directory answers each name an ACME CA fetches (http-01).
[CmdletBinding(SupportsShouldProcess)]
param()

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false
Import-Module WebAdministration

$sites = foreach ($site in Get-Website) {
    # As dcv_iis_read: a site whose state cannot be read (broken application pool) is 'Unknown'.
    try { $state = [string]$site.state } catch { $state = 'Unknown' }
    $raw = [string]$site.physicalPath
    $bindings = foreach ($binding in $site.bindings.Collection) {
        @{ protocol = [string]$binding.protocol; binding_information = [string]$binding.bindingInformation }
    }
    @{
        name = [string]$site.name
        id = [int]$site.id
        state = $state
        physical_path = $raw
        physical_path_expanded = [Environment]::ExpandEnvironmentVariables($raw)
        bindings = @($bindings)
    }
}

ConvertTo-Json -Compress -Depth 5 -InputObject @{ sites = @($sites) }
