# hkpost.ecert prelude file: iis_bindings
# Functions for a payload that reads IIS bindings; composed into it by
# plugins/plugin_utils/_win_payload.py where the payload says "# hkpost.ecert prelude: iis_bindings".
# Read-IisSite: every IIS site with its bindings of one protocol (binding information and sslFlags),
# from Microsoft.Web.Administration (the caller checks that IIS is installed when it may not be).
# Read-SslMapping: the http.sys certificate mappings (SslBindingInfo: ipport, SslSniBindingInfo:
# hostnameport) from the registry, where netsh keeps them, so the answer does not depend on the
# display language; Read-HttpSysMapping: both kinds, {ipport, hostnameport}, as iis_bindings_read answers them.
# Read-IisHttps: {present, sites, sslcert} - whether IIS is installed (Microsoft.Web.Administration.dll), its sites'
# https bindings when it is, and the http.sys mappings either way (a mapping outlives IIS): the IIS part of
# retire_read's and certificate_inventory_read's answers.
# https://learn.microsoft.com/iis/manage/scripting/how-to-use-microsoftwebadministration ;
# https://learn.microsoft.com/windows/win32/http/httpsetserviceconfiguration
function Read-IisSite([string]$Protocol) {
    Add-Type -Path (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
    $manager = New-Object -TypeName Microsoft.Web.Administration.ServerManager
    foreach ($site in $manager.Sites) {
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
    }
}

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

function Read-HttpSysMapping {
    @{ ipport = @(Read-SslMapping 'SslBindingInfo'); hostnameport = @(Read-SslMapping 'SslSniBindingInfo') }
}

function Read-IisHttps {
    $sites = @()
    $present = Test-Path -LiteralPath (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
    if ($present) {
        $sites = @(Read-IisSite -Protocol 'https')
    }
    @{ present = $present; sites = $sites; sslcert = Read-HttpSysMapping }
}
