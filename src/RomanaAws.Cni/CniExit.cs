namespace RomanaAws.Cni;

/// <summary>The plugin's exit codes: 0 success, 1 a CNI error (JSON on stdout), 2 the thread could not return to the host namespace.</summary>
internal static class CniExit
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int LostNamespace = 2;
}
