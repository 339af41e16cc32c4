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

Add-Type -Path (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
$manager = New-Object -TypeName Microsoft.Web.Administration.ServerManager
$sites = @(foreach ($site in $manager.Sites) {
        @{
            name     = $site.Name
            id       = $site.Id
            bindings = @(foreach ($binding in $site.Bindings) {
                    if ($binding.Protocol -eq $Protocol) {
                        @{
                            protocol            = $binding.Protocol
                            binding_information = $binding.BindingInformation
                            ssl_flags           = [int]$binding.GetAttributeValue('sslFlags')
                        }
                    }
                })
        }
    })

function Read-SslMapping([string]$KeyName) {
    $root = "HKLM:\SYSTEM\CurrentControlSet\Services\HTTP\Parameters\$KeyName"
    if (-not (Test-Path -LiteralPath $root)) { return @() }
    @(Get-ChildItem -LiteralPath $root | ForEach-Object {
            $values = Get-ItemProperty -LiteralPath $_.PSPath
            $hash = ''
            if ($values.SslCertHash) { $hash = ([BitConverter]::ToString([byte[]]$values.SslCertHash)) -replace '-', '' }
            @{ endpoint = $_.PSChildName; thumbprint = $hash; store = $values.SslCertStoreName }
        })
}

@{
    sites   = $sites
    sslcert = @{ ipport = @(Read-SslMapping 'SslBindingInfo'); hostnameport = @(Read-SslMapping 'SslSniBindingInfo') }
} | ConvertTo-Json -Compress -Depth 6
