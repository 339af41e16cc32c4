# hkpost.ecert prelude file: chain_stores
# What the chain is planned from, read one way by chain_read and by retire_read (when hkpost_install is given a
# chain): the certificates of a LocalMachine store (Get-StoreCertificate) and the CRLs of one (Read-CrlStore).
# Holds a here-string (the C# source), whose end must start its line: declared at the start of a line.

# .NET has no CRL store API; crypt32 enumerates the CRLs of a system store. Compiled (Add-Type) only when called:
# retire_read declares this prelude on every read, and reads CRLs only when asked.
function Read-CrlStore([string]$StoreName) {
Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

public static class HkpostCrlReader
{
    [StructLayout(LayoutKind.Sequential)]
    private struct CRL_CONTEXT
    {
        public uint dwCertEncodingType;
        public IntPtr pbCrlEncoded;
        public uint cbCrlEncoded;
        public IntPtr pCrlInfo;
        public IntPtr hCertStore;
    }

    [DllImport("crypt32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern IntPtr CertOpenStore(IntPtr storeProvider, uint encodingType, IntPtr cryptProv, uint flags, string para);

    [DllImport("crypt32.dll", SetLastError = true)]
    private static extern IntPtr CertEnumCRLsInStore(IntPtr certStore, IntPtr prevCrlContext);

    [DllImport("crypt32.dll", SetLastError = true)]
    private static extern bool CertCloseStore(IntPtr certStore, uint flags);

    private const uint CERT_SYSTEM_STORE_LOCAL_MACHINE = 0x00020000;
    private const uint CERT_STORE_READONLY_FLAG = 0x00008000;
    private const uint CERT_STORE_OPEN_EXISTING_FLAG = 0x00004000;

    public static List<string> Read(string storeName)
    {
        var result = new List<string>();
        IntPtr store = CertOpenStore(new IntPtr(10), 0, IntPtr.Zero,
            CERT_SYSTEM_STORE_LOCAL_MACHINE | CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG, storeName);
        // A CRL store that cannot be opened (access denied, missing) is an error, never "no CRLs":
        // the migration plan would otherwise add a CRL that is already there or miss one to remove.
        if (store == IntPtr.Zero)
        {
            throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error(),
                "cannot open the LocalMachine\\" + storeName + " store to read its CRLs");
        }
        try
        {
            IntPtr context = IntPtr.Zero;
            while ((context = CertEnumCRLsInStore(store, context)) != IntPtr.Zero)
            {
                var crl = (CRL_CONTEXT)Marshal.PtrToStructure(context, typeof(CRL_CONTEXT));
                var bytes = new byte[crl.cbCrlEncoded];
                Marshal.Copy(crl.pbCrlEncoded, bytes, 0, bytes.Length);
                result.Add(Convert.ToBase64String(bytes));
            }
        }
        finally { CertCloseStore(store, 0); }
        return result;
    }
}
'@
    @([HkpostCrlReader]::Read($StoreName))
}

function Get-StoreCertificate {
    param([string]$Name, [switch]$WithKeyOnly)
    # WebHosting exists only where IIS created it: a missing store is an empty one, guarded with
    # Test-Path like ecert_store_read. A store that exists but cannot be opened (access denied) throws:
    # read as empty, the plan would skip a removal from Disallowed or add what is already there.
    if (Test-Path -LiteralPath "Cert:\LocalMachine\$Name") {
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new($Name, 'LocalMachine')
        $store.Open('ReadOnly, OpenExistingOnly')
        try {
            @($store.Certificates | Where-Object { -not $WithKeyOnly -or $_.HasPrivateKey } | ForEach-Object {
                    [Convert]::ToBase64String($_.RawData)
                })
        }
        finally {
            $store.Close()
        }
    }
}
