# hkpost.ecert payload: iis_apply
# A host's whole IIS change in one trip: the steps the controller planned (module_utils/install/_host_plan.py and
# _iis_binding.py), run in the order given, each answered in JSON. The step kinds and the prelude function each
# runs: chain (chain_steps: one step of the chain migration plan, sent before the completions and binding writes so
# the intermediates are in the store when a new binding is served), complete (certreq_accept), export (pfx_export: the PFX backups, with $Password as a SecureString),
# binding_add, binding_remove and binding_replace (iis_binding_write). A failed step stops the loop - the steps
# after it are answered "skipped" - unless ContinueOnError (the controller's rollback, which puts back every binding
# it can); the controller reads which steps were done and undoes them. Nothing is decided here.
param(
    [Parameter(Mandatory = $true)][object[]]$Steps,
    [bool]$ContinueOnError = $false,
    [SecureString]$Password,
    [ValidateSet('AES256_SHA256', 'TripleDES_SHA1')][string]$Encryption = 'TripleDES_SHA1',
    [bool]$IncludeChain = $true
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: native_command
# hkpost.ecert prelude: chain_steps
# hkpost.ecert prelude: certreq_accept
# hkpost.ecert prelude: iis_binding_write

function Export-PfxItem([object[]]$Items) {
    # hkpost.ecert prelude: pfx_export
    @{ exports = $exports }
}

$results = @()
$failed = $false
foreach ($step in $Steps) {
    if ($failed -and -not $ContinueOnError) {
        $results += @{ kind = $step.kind; status = 'skipped' }
        continue
    }
    try {
        $answer = switch ($step.kind) {
            'chain' { Invoke-ChainStep -ChainStep $step.step }
            'complete' { Complete-CertificateRequest -EncodedCertificate $step.certificate_base64 -Thumbprint $step.thumbprint -FriendlyName $step.friendly_name }
            'export' { Export-PfxItem -Items $step.items }
            'binding_add' { Add-IisBinding -Site $step.site -BindingInformation $step.binding_information -SslFlags $step.ssl_flags -Thumbprint $step.thumbprint -Store $step.store }
            'binding_remove' { Remove-IisBinding -Site $step.site -BindingInformation $step.binding_information }
            'binding_replace' { Set-IisBindingCertificate -Site $step.site -BindingInformation $step.binding_information -SslFlags $step.ssl_flags -Thumbprint $step.thumbprint -Store $step.store }
            default { throw "unknown step kind '$($step.kind)'" }
        }
        # A certificate certreq installed without its key can neither be bound nor exported: the plan stops here.
        if ($step.kind -eq 'complete' -and -not $answer.has_private_key) {
            throw "certreq -accept installed $($step.thumbprint) without the private key"
        }
        $results += @{ kind = $step.kind; status = 'done'; answer = $answer }
    }
    catch {
        $failed = $true
        $results += @{ kind = $step.kind; status = 'failed'; error = $_.Exception.Message }
    }
}

@{ steps = $results } | ConvertTo-Json -Compress -Depth 6
