# hkpost.ecert prelude file: iis_binding_write
# The IIS https binding writes, one function per step kind of install/_iis_binding.py's plan; composed into
# iis_apply, which hkpost_install and iis_binding send. Each opens its own ServerManager and commits once, so a
# step is either wholly in applicationHost.config (and http.sys) or not at all, and the controller's rollback
# knows which steps to undo.
# Add-IisBinding: a new https binding WITH its certificate: bindingInformation, sslFlags, certificateHash and
# certificateStoreName set on the new element before the single CommitChanges, so IIS never holds a binding
# without a certificate and http.sys gets its mapping (hostnameport for SNI, ipport otherwise) in the same commit
# (win-acme IISClient.AddBinding, in the order it sets them).
# Remove-IisBinding: one https binding removed (nothing to do when it is not there).
# Set-IisBindingCertificate: the certificate (and sslFlags) of an existing https binding changed by REPLACING the
# element: a new one with the same bindingInformation, the other attributes copied, certificateHash,
# certificateStoreName and sslFlags set, swapped in and committed once. Changing CertificateHash in place is what
# win-acme abandoned (IISClient.UpdateBinding, "Replace instead of change binding because of #371": CreateSSLBinding
# failed with 0x80070520). An empty Thumbprint puts back a binding that had no certificate (the rollback).
function Open-IisSite([string]$Site) {
    Add-Type -Path (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
    $manager = New-Object -TypeName Microsoft.Web.Administration.ServerManager
    $iisSite = $manager.Sites[$Site]
    if ($null -eq $iisSite) { throw "IIS site '$Site' does not exist" }
    @{ manager = $manager; site = $iisSite }
}

function ConvertTo-CertificateHash([string]$Thumbprint) {
    $hash = [byte[]]::new($Thumbprint.Length / 2)
    for ($i = 0; $i -lt $hash.Length; $i++) { $hash[$i] = [Convert]::ToByte($Thumbprint.Substring(2 * $i, 2), 16) }
    , $hash
}

function Add-IisBinding([string]$Site, [string]$BindingInformation, [int]$SslFlags, [string]$Thumbprint, [string]$Store) {
    if (-not $Thumbprint) { throw 'a new https binding needs its certificate thumbprint' }
    if (-not (Test-Path -LiteralPath "Cert:\LocalMachine\$Store\$Thumbprint")) {
        throw "certificate $Thumbprint is not in LocalMachine\$Store"
    }
    $open = Open-IisSite $Site
    $iisSite = $open.site
    $binding = $iisSite.Bindings | Where-Object { $_.Protocol -eq 'https' -and $_.BindingInformation -eq $BindingInformation }
    if ($null -ne $binding) { throw "site '$Site' already has an https binding $BindingInformation" }
    $hash = ConvertTo-CertificateHash $Thumbprint
    $element = $iisSite.Bindings.CreateElement('binding')
    $element.BindingInformation = $BindingInformation
    $element.CertificateStoreName = $Store
    $element.CertificateHash = $hash
    $element.Protocol = 'https'
    $element.SetAttributeValue('sslFlags', $SslFlags)
    $iisSite.Bindings.Add($element) | Out-Null
    $open.manager.CommitChanges()
    @{ site = $Site; binding_information = $BindingInformation; ssl_flags = $SslFlags; thumbprint = $Thumbprint }
}

function Remove-IisBinding([string]$Site, [string]$BindingInformation) {
    $open = Open-IisSite $Site
    $iisSite = $open.site
    $binding = $iisSite.Bindings | Where-Object { $_.Protocol -eq 'https' -and $_.BindingInformation -eq $BindingInformation }
    if ($null -ne $binding) { $iisSite.Bindings.Remove($binding) }
    $open.manager.CommitChanges()
    @{ site = $Site; binding_information = $BindingInformation; removed = $null -ne $binding }
}

function Set-IisBindingCertificate([string]$Site, [string]$BindingInformation, [int]$SslFlags, [string]$Thumbprint, [string]$Store) {
    if ($Thumbprint -and -not (Test-Path -LiteralPath "Cert:\LocalMachine\$Store\$Thumbprint")) {
        throw "certificate $Thumbprint is not in LocalMachine\$Store"
    }
    $open = Open-IisSite $Site
    $iisSite = $open.site
    $existing = $iisSite.Bindings | Where-Object { $_.Protocol -eq 'https' -and $_.BindingInformation -eq $BindingInformation }
    if ($null -eq $existing) { throw "site '$Site' has no https binding $BindingInformation" }
    $handled = @('protocol', 'bindingInformation', 'sslFlags', 'certificateHash', 'certificateStoreName')
    $replacement = $iisSite.Bindings.CreateElement('binding')
    $replacement.BindingInformation = $BindingInformation
    foreach ($attribute in $existing.Attributes) {
        if ($handled -notcontains $attribute.Name -and $null -ne $attribute.Value) {
            $replacement.SetAttributeValue($attribute.Name, $attribute.Value)
        }
    }
    if ($Thumbprint) {
        $hash = ConvertTo-CertificateHash $Thumbprint
        $replacement.CertificateStoreName = $Store
        $replacement.CertificateHash = $hash
    }
    $replacement.Protocol = 'https'
    $replacement.SetAttributeValue('sslFlags', $SslFlags)
    $iisSite.Bindings.Remove($existing)
    $iisSite.Bindings.Add($replacement) | Out-Null
    $open.manager.CommitChanges()
    @{ site = $Site; binding_information = $BindingInformation; ssl_flags = $SslFlags; thumbprint = $Thumbprint }
}
