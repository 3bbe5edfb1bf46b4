namespace RomanaAws.Cni.Spec;

/// <summary>CNI_COMMAND: the operations of CNI spec 1.1.0.</summary>
internal enum CniCommand
{
    Add,
    Del,
    Check,
    Version,
    Status,
    Gc,
}
