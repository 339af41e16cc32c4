# hkpost.ecert payload: acme_iis_read
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Reads every IIS site's bindings and physical path (raw and expanded), so Python can decide which
# site's .well-known\acme-challenge directory answers each name an ACME CA fetches (http-01). The sites are
# read by the web_sites prelude's Read-WebSite, as dcv_iis_read reads them.
[CmdletBinding(SupportsShouldProcess)]
param()

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false
Import-Module WebAdministration

# hkpost.ecert prelude: web_sites
$sites = @(Read-WebSite)

ConvertTo-Json -Compress -Depth 5 -InputObject @{ sites = @($sites) }
