# hkpost.ecert payload: complete_request
# "Complete Certificate Request" of one issued certificate (the certreq_accept prelude, which iis_apply shares):
# certreq -accept -machine pairs it with the pending request's key in LocalMachine\REQUEST and installs it in
# LocalMachine\My, the key staying in the machine key store. The controller already matched the request.
param(
    [Parameter(Mandatory = $true)][string]$CertificateBase64,
    [Parameter(Mandatory = $true)][string]$Thumbprint,
    [string]$FriendlyName
)

$ErrorActionPreference = 'Stop'

# hkpost.ecert prelude: native_command
# hkpost.ecert prelude: certreq_accept

Complete-CertificateRequest -EncodedCertificate $CertificateBase64 -Thumbprint $Thumbprint -FriendlyName $FriendlyName |
    ConvertTo-Json -Compress -Depth 3
