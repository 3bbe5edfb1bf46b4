namespace RomanaAws.Controller.Reconcile;

/// <summary>What went wrong in a pass.</summary>
public enum PassErrorKind
{
    /// <summary>The pass manages less than it was asked to, or nothing (no VPC, no table, a configured table missing).</summary>
    TableSelection,

    /// <summary>EC2 refused a write (<see cref="PassError.Write"/> says which).</summary>
    Write,
}
