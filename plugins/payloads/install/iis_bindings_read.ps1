# hkpost.ecert payload: iis_bindings_read
# Reads every IIS site's https bindings (binding information and sslFlags) and the http.sys
# certificate mappings (ipport and hostnameport) from the registry, where netsh keeps them, so
# the answer does not depend on the display language. Changes nothing; runs in check mode.
[CmdletBinding(SupportsShouldProcess)]
param(
    [string]$Protocol = 'https'
)

$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

# hkpost.ecert prelude: iis_bindings
$sites = @(Read-IisSite -Protocol $Protocol)

@{ sites = $sites; sslcert = Read-HttpSysMapping } | ConvertTo-Json -Compress -Depth 6
