# hkpost.ecert payload: iis_binding_set
# Adds one https binding to one IIS site WITH its certificate, or removes one. The new element gets
# bindingInformation, sslFlags, certificateHash and certificateStoreName before the single
# CommitChanges, so IIS never holds a binding without a certificate and http.sys gets its mapping
# (hostnameport for SNI, ipport otherwise) in the same commit: win-acme IISClient.AddBinding.
param(
    [Parameter(Mandatory = $true)][string]$Site,
    [Parameter(Mandatory = $true)][ValidateSet('add', 'remove')][string]$Operation,
    [Parameter(Mandatory = $true)][string]$BindingInformation,
    [int]$SslFlags = 0,
    [string]$Thumbprint = '',
    [ValidateSet('My', 'WebHosting')][string]$Store = 'My'
)

$ErrorActionPreference = 'Stop'

Add-Type -Path (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
$manager = New-Object -TypeName Microsoft.Web.Administration.ServerManager
$iisSite = $manager.Sites[$Site]
if ($null -eq $iisSite) { throw "IIS site '$Site' does not exist" }
$binding = $iisSite.Bindings | Where-Object { $_.Protocol -eq 'https' -and $_.BindingInformation -eq $BindingInformation }

switch ($Operation) {
    'add' {
        if ($null -ne $binding) { throw "site '$Site' already has an https binding $BindingInformation" }
        if (-not $Thumbprint) { throw 'a new https binding needs its certificate thumbprint' }
        if (-not (Test-Path -LiteralPath "Cert:\LocalMachine\$Store\$Thumbprint")) {
            throw "certificate $Thumbprint is not in LocalMachine\$Store"
        }
        $hash = [byte[]]::new($Thumbprint.Length / 2)
        for ($i = 0; $i -lt $hash.Length; $i++) { $hash[$i] = [Convert]::ToByte($Thumbprint.Substring(2 * $i, 2), 16) }
        # The order win-acme's AddBinding sets them in.
        $element = $iisSite.Bindings.CreateElement('binding')
        $element.BindingInformation = $BindingInformation
        $element.CertificateStoreName = $Store
        $element.CertificateHash = $hash
        $element.Protocol = 'https'
        $element.SetAttributeValue('sslFlags', $SslFlags)
        $iisSite.Bindings.Add($element) | Out-Null
    }
    'remove' {
        if ($null -ne $binding) { $iisSite.Bindings.Remove($binding) }
    }
}
$manager.CommitChanges()

@{ site = $Site; operation = $Operation; binding_information = $BindingInformation; ssl_flags = $SslFlags } |
    ConvertTo-Json -Compress -Depth 3
